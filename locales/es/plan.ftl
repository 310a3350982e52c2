# El plan de recuperación y reinserción impreso para el participante, con la lista de preparación.

plan-title = Plan de recuperación y reinserción
plan-page-title = Plan: { $name }
plan-who = <strong>{ $name }</strong> · fecha de nacimiento { $born } · impreso el { $printed }
plan-goals = Metas
plan-owner = responsable: { $owner }
plan-due = para el { $date }
plan-step-done = hecho el { $date }
plan-no-goals = Todavía no hay metas. Escríbanlas juntos aquí:
plan-checklist = Preparación para la salida
plan-item = Tarea
plan-by = Para el
plan-done = Hecho
plan-not-applicable = no corresponde
plan-release-handout = Al salir: naloxona y medicamentos para el trastorno por consumo de opioides (hoja informativa)

goal-domain-substance-use = Consumo de sustancias
goal-domain-mental-health = Salud mental
goal-domain-physical-health = Salud física y medicamentos (incluido MOUD)
goal-domain-housing = Vivienda
goal-domain-employment-education = Empleo y educación
goal-domain-income-benefits-insurance = Ingresos, beneficios y seguro médico
goal-domain-identity-documents = Documentos de identidad
goal-domain-family-social-support = Familia y apoyo social
goal-domain-legal-obligations = Obligaciones legales (fechas de corte, supervisión, multas y cuotas)
goal-domain-transportation = Transporte

goal-status-not-started = Sin empezar
goal-status-in-progress = En curso
goal-status-done = Hecha
goal-status-dropped = Abandonada

checklist-identity-documents = Documentos de identidad
checklist-health-insurance = Seguro médico
checklist-moud-continuity = Continuidad del tratamiento MOUD
checklist-naloxone = Kit de naloxona y capacitación
checklist-first-night-housing = Vivienda para la primera noche
checklist-transport-from-gate = Transporte desde la salida
checklist-community-provider-appointment = Cita con un proveedor en la comunidad
checklist-peer-meeting = Reunión con el especialista de apoyo al salir
checklist-first-contact = Primer contacto en las primeras 24 horas
