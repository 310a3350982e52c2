# Facturación: unidades de apoyo entre pares listas para reclamar y fuentes de financiamiento.

billing-error-payer-required = elija un pagador
billing-error-period = debe ser igual o posterior a la fecha inicial, y el período de { $days } días como máximo

billing-reason-not-completed = No completado
billing-reason-not-peer-support = No es un servicio de apoyo entre pares
billing-reason-funded-elsewhere = Financiado por una subvención u otros fondos
billing-reason-no-coverage = Sin cobertura en la fecha del servicio
billing-reason-mode-not-billable = Forma de encuentro no facturable (mensaje de texto)
billing-reason-no-peer = Sin par registrado
billing-reason-credential-not-valid = Credencial no vigente en la fecha del servicio
billing-reason-group-over-ratio = Grupo por encima de la proporción de personal por participante
billing-reason-too-short = Demasiado corto para una unidad
billing-reason-over-daily-cap = Por encima del límite diario de unidades
