# Supervisión que desarrolla a las personas (decisión 0051): firmas, revisiones de
# competencias, consultas de ética.

wf-sign-off = Firmas
wf-sign-off-unsigned = Sin firmar
wf-sign-off-awaiting-supervisor = Falta la firma del supervisor
wf-sign-off-awaiting-peer = Falta la firma del especialista de apoyo
wf-sign-off-signed = Firmada por ambos
wf-sign = Firmar
wf-amended = enmendada
wf-minutes-n = { $n } min
wf-duration-minutes = Duración (minutos)
wf-minutes = Minutos
wf-error-minutes-range = debe ser un número de minutos mayor que 0 y como máximo { $max }
wf-error-hours-minutes-disagree = no coincide con los minutos indicados
wf-error-already-signed = Ya firmó esta sesión.
wf-error-rating-scale = debe ser una calificación de { $min } a { $max }
wf-error-area-twice = nombra un área de competencia ya calificada en esta revisión
wf-error-not-a-supervisor = debe ser un supervisor o administrador del programa, no el especialista de apoyo

wf-reviews-title = Revisiones de competencias
wf-rating-scale = Calificaciones: 1 aún no demostrada, 2 en desarrollo (con apoyo), 3 competente (por su cuenta), 4 avanzada (guía a otros).
wf-review-chart-title = Calificación media de competencias por revisión
wf-review-chart-caption = La media de las calificaciones del supervisor y de la autoevaluación en cada revisión, de la más antigua a la más reciente; cada calificación está en la tabla siguiente.
wf-review-supervisor-mean = Calificación del supervisor (media)
wf-review-self-mean = Autoevaluación (media)
wf-area = Área de competencia
wf-self-rating = Autoevaluación
wf-supervisor-rating = Calificación del supervisor
wf-goal = Meta
wf-no-reviews = Aún no hay revisiones de competencias.
wf-record-review = Registrar una revisión

wf-consultations-title = Consultas sobre ética y límites
wf-consulted-with = Consultado con
wf-consulted-me = Conmigo (cuenta como supervisión recibida)
wf-consulted-with-other = O alguien externo al programa (nombre)
wf-question = Pregunta
wf-guidance = Orientación
wf-outcome-text = Resultado
wf-counts-as-supervision = cuenta como supervisión
wf-no-consultations = No hay consultas registradas.
wf-log-consultation = Registrar una consulta

home-sign-supervision = Sesiones de supervisión pendientes de su firma
home-sign-supervision-row = { $date } con { $name }
