# Medicaid para la reinserción (asunto 17; decisión 0046): la plantilla del programa, las
# evaluaciones de elegibilidad bajo custodia, los traspasos personales, los registros de MOUD,
# la página de reinserción, el plan de atención impreso, la configuración y sus errores.

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
reentry-error-first-dose-required = es obligatoria cuando el MOUD empezó después de la salida
reentry-error-no-dose-after-release = solo corresponde si el MOUD continuó al salir o empezó después
reentry-error-no-moud-to-stop = solo corresponde a quien recibe MOUD
reentry-error-stopped-before-first-dose = no puede ser anterior a la primera dosis

reentry-template-federal-minimum = Mínimo federal (CAA 2023 §5121; servicios mínimos de la carta SMD #23-003)
reentry-template-california = California (Iniciativa de Reinserción de CalAIM para personas con antecedentes judiciales)
reentry-template-washington = Washington (reinserción del Medicaid Transformation Project)
reentry-template-montana = Montana (reinserción de HEART)
reentry-template-new-hampshire = Nuevo Hampshire (demostración de reinserción)

reentry-medicaid-active = Inscrito (activo)
reentry-medicaid-suspended = Inscrito, suspendido durante la encarcelación
reentry-medicaid-application-pending = Solicitud pendiente
reentry-medicaid-none = No inscrito, sin solicitud

reentry-result-eligible = Elegible
reentry-result-pending-medicaid = Elegible cuando se conceda Medicaid
reentry-result-not-eligible = No elegible

reentry-condition-substance-use-disorder = Trastorno por consumo de sustancias
reentry-condition-mental-illness = Enfermedad mental
reentry-condition-chronic-condition = Enfermedad crónica o clínicamente importante
reentry-condition-pregnancy = Embarazo o posparto
reentry-condition-intellectual-disability = Discapacidad intelectual o del desarrollo
reentry-condition-traumatic-brain-injury = Lesión cerebral traumática
reentry-condition-hiv = VIH/sida

reentry-criterion-medicaid = Inscrito en Medicaid (activo o suspendido)
reentry-criterion-health-condition = Una condición de salud que califica
reentry-criterion-anyone-in-custody = El programa no exige ninguna condición
reentry-criterion-youth = Menor de 21 años al salir (CAA 2023 §5121)
reentry-criterion-former-foster-youth = Joven que estuvo en cuidado de crianza, menor de 26 años al salir (CAA 2023 §5121)

reentry-method-in-person = En persona
reentry-method-video = Videollamada
reentry-method-phone = Teléfono
reentry-method-written = Derivación escrita y traslado del expediente

reentry-moud-none = Ninguno
reentry-moud-in-custody = Lo recibe bajo custodia
reentry-moud-continued-at-release = Continuó al salir
reentry-moud-started-after-release = Empezó después de salir

reentry-service-case-management = Gestión de casos para la reinserción
reentry-service-moud = Medicamentos para el trastorno por consumo de sustancias
reentry-service-release-medication = Suministro de medicamentos para 30 días al salir
reentry-service-screening = Servicios de detección y diagnóstico
reentry-service-clinical-consultation = Consulta de salud física y conductual
reentry-service-lab-radiology = Laboratorio y radiología
reentry-service-medical-equipment = Equipo médico duradero al salir
reentry-service-community-health-worker = Servicios de trabajadores comunitarios de salud
reentry-service-peer-support = Servicios de apoyo entre pares

reentry-deliverer-peer = Par con experiencia vivida
reentry-deliverer-community-health-worker = Trabajador comunitario de salud
reentry-deliverer-clinician = Profesional clínico o gestor de casos con licencia

reentry-screening-status-done = Evaluado
reentry-screening-status-due = Evaluación pendiente
reentry-screening-status-overdue = Evaluación atrasada

reentry-handoff-status-held = Realizado
reentry-handoff-status-held-late = Realizado tarde
reentry-handoff-status-due = Pendiente
reentry-handoff-status-overdue = Atrasado

field-medicaid-status = Estado de Medicaid
field-medicaid-applied-on = Fecha de la solicitud
field-to-provider = Proveedor
field-to-organisation = Su organización
field-scheduled-at = Programado para
field-held-at = Realizado el
field-first-dose-on = Primera dosis después de salir
field-stopped-on = Suspendido el
field-naloxone-at-release = Kits de naloxona al salir
field-template = Programa de reinserción

# La página de reinserción del participante.
reentry-page-title = Reinserción: { $name }
reentry-record-link = Reinserción: evaluación de Medicaid, traspaso personal, MOUD
reentry-care-plan = Plan de atención para la reinserción (imprimir)
reentry-saved-screening = Evaluación guardada.
reentry-saved-handoff = Traspaso personal guardado.
reentry-saved-moud = Registro de MOUD guardado.
reentry-not-saved = No se guardó: corrija lo siguiente
reentry-status-h = Situación actual
reentry-programme = Programa de reinserción
reentry-booked = Ingreso
reentry-screening = Evaluación de elegibilidad
reentry-due-by = vence el { $when }
reentry-expected-release = Salida prevista
reentry-not-set = sin fijar
reentry-window = Periodo previo a la salida
reentry-window-opens = se abre el { $date } ({ $days } días antes de la salida prevista)
reentry-window-open = Abierto
reentry-window-open-since = desde el { $date }; quedan { $days } días hasta la salida prevista
reentry-window-needs-date = se abre cuando se fije una fecha prevista de salida
reentry-in-custody = Bajo custodia
reentry-not-in-custody = No: ahora no está bajo custodia
reentry-handoff = Traspaso personal
reentry-handoff-not-due = todavía no corresponde
reentry-unplanned-release = Salida no planificada
reentry-screenings-h = Evaluaciones de elegibilidad
reentry-youth = Joven elegible (CAA 2023 §5121)
reentry-criteria-met = Criterios cumplidos
reentry-none = ninguno
reentry-medicaid = Estado de Medicaid
reentry-applied-on = solicitado el { $date }
reentry-conditions = Condiciones de salud que califican
reentry-screened = Evaluado
reentry-by-when = { $who }, { $when }
reentry-under = Decidido según
reentry-earlier-screenings = Evaluaciones anteriores
reentry-result = Resultado
reentry-no-screening = Todavía no se ha evaluado.
reentry-record-screening = Registrar una evaluación
reentry-choose = Elija…
reentry-application-date = Fecha de la solicitud de Medicaid (si está pendiente)
reentry-former-foster-youth = Estuvo en cuidado de crianza (a los 18 años)
reentry-save-screening = Guardar la evaluación
reentry-handoffs-h = Traspasos personales
reentry-to-provider = Proveedor
reentry-to-organisation = Su organización
reentry-method = Cómo
reentry-scheduled = Programado para
reentry-held = Realizado el
reentry-held-hint = Déjelo vacío hasta que se haya realizado.
reentry-made-by = Hecho por
reentry-not-yet = todavía no
reentry-no-handoffs = No hay ningún traspaso personal registrado.
reentry-record-handoff = Registrar un traspaso personal
reentry-save-handoff = Guardar el traspaso
reentry-moud-h = Medicamentos para el trastorno por consumo de opioides (MOUD)
reentry-moud-status = Estado del MOUD
reentry-first-dose = Primera dosis después de salir
reentry-first-dose-hint = Si continuó al salir, la fecha de salida si se deja vacío.
reentry-stopped = Suspendido el
reentry-naloxone = Kits de naloxona al salir
reentry-recorded = Registrado
reentry-earlier-moud = Registros anteriores de MOUD
reentry-no-moud = No hay ningún registro de MOUD.
reentry-record-moud = Registrar MOUD
reentry-save-moud = Guardar el registro de MOUD

# El plan de atención para la reinserción, impreso para el participante (elementos mínimos de la
# carta CMS SMD #23-003).
reentry-plan-page-title = Plan de atención para la reinserción: { $name }
reentry-back = Volver a la página de reinserción
reentry-plan-title = Mi plan de atención para la reinserción
reentry-plan-who = <strong>{ $name }</strong> · nacido/a el { $born } · impreso el { $printed }
reentry-plan-release = Salida prevista: { $date }
reentry-plan-release-unknown = Salida prevista: todavía no se sabe
reentry-plan-released = Salida: { $date }
reentry-plan-needs = Mis necesidades
reentry-plan-goals = Mis metas
reentry-plan-checklist = Antes de salir y al salir
reentry-plan-medications = Mis medicamentos
reentry-plan-first-dose = primera dosis después de salir el { $date }
reentry-plan-stopped = suspendido el { $date }
reentry-plan-naloxone = Kits de naloxona entregados al salir: { $count }
reentry-plan-supply = Pida un suministro para 30 días de todos sus medicamentos recetados cuando salga.
reentry-plan-appointments = Citas que se hicieron para mí
reentry-plan-benefits = Vivienda y beneficios
reentry-plan-housing = Dónde voy a vivir

# La configuración de reinserción de la organización.
reentry-settings-title = Programa de reinserción
reentry-admin-link = Programa de reinserción: plantilla, periodo y reglas
reentry-back-to-admin = Volver a la organización
reentry-settings-saved = Programa de reinserción guardado.
reentry-rules-h = Las reglas que se aplican
reentry-rules-window = { $days } días antes de la salida prevista (al menos { $youth } días para un joven elegible)
reentry-rules-who = Quién es elegible
reentry-rules-anyone = Cualquier persona bajo custodia inscrita en Medicaid (sin condición exigida)
reentry-rules-one-of = Inscrito en Medicaid con una de estas: { $conditions }
reentry-rules-services = Servicios cubiertos antes de la salida y quién puede prestarlos
reentry-rules-service = Servicio
reentry-rules-by = Quién puede prestarlo
reentry-choose-h = Elegir el programa
reentry-window-days = Periodo (días)
reentry-window-days-hint = De 1 a 90 días; el de la plantilla si se deja vacío.
reentry-settings-save = Guardar el programa
reentry-history-h = Elecciones anteriores
reentry-history-when = Elegido
reentry-history-who = Por
reentry-history-none = Todavía no se ha elegido: se aplica el mínimo federal.
