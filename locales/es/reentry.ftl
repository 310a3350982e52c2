# Medicaid para la reinserción (asunto 17; decisión 0046): la plantilla del programa, las
# evaluaciones de elegibilidad bajo custodia y sus errores.

# Las señales de reinserción de la lista de casos y de la página de inicio.
reentry-flag-screening-due = evaluación pendiente
reentry-flag-screening-overdue = evaluación atrasada
reentry-flag-in-window = periodo previo a la salida
reentry-flag-window-opens = el periodo se abre el { $date }
reentry-flag-handoff-due = traspaso pendiente
reentry-flag-handoff-overdue = traspaso atrasado
home-reentry-heading = Reinserción: por hacer ahora
home-reentry-note = Evaluaciones que vencen a las 72 horas del ingreso, periodos previos a la salida abiertos y traspasos acompañados aún no realizados.
home-reentry-late-heading = Reinserción: atrasos de su equipo
home-reentry-late-note = Evaluaciones pasadas las 72 horas desde el ingreso y traspasos acompañados vencidos.

reentry-error-application-date-required = es obligatoria cuando la solicitud de Medicaid está pendiente
reentry-error-date-in-the-future = no puede ser una fecha futura

reentry-template-federal_minimum = Mínimo federal (CAA 2023 §5121; servicios mínimos de la carta SMD #23-003)
reentry-template-california = California (Iniciativa de Reinserción de CalAIM para personas con antecedentes judiciales)
reentry-template-washington = Washington (reinserción del Medicaid Transformation Project)
reentry-template-montana = Montana (reinserción de HEART)
reentry-template-new_hampshire = Nuevo Hampshire (demostración de reinserción)

reentry-medicaid-active = Inscrito (activo)
reentry-medicaid-suspended = Inscrito, suspendido durante la encarcelación
reentry-medicaid-application_pending = Solicitud pendiente
reentry-medicaid-none = No inscrito, sin solicitud

reentry-result-eligible = Elegible
reentry-result-pending_medicaid = Elegible cuando se conceda Medicaid
reentry-result-not_eligible = No elegible
