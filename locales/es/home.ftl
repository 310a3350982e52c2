# La página de inicio de cada función.

home-title = Inicio
home-alerts = Avisos
home-alert-record = (expediente { $id })
home-emergency-accesses = Accesos de emergencia a sus participantes
home-emergency-accesses-why = (vea quién los abrió y termine uno antes de tiempo)
home-needs-you = Le necesitan ahora ({ $count })
home-needs-you-shown = Le necesitan ahora ({ $count }; se muestran los { $shown } más urgentes)
home-who = Quién
home-why = Por qué
home-when = Cuándo
home-released-without-warning = salió sin aviso
home-window-day = día { $day } de 14
home-next-deadline = próximo plazo en { $hours } h
home-release-ahead = { $days ->
    [0] sale hoy
    [1] sale mañana
   *[other] sale en { $days } días
}
home-release-late = { $days ->
    [1] se esperaba ayer, salida no registrada
   *[other] se esperaba hace { $days } días, salida no registrada
}
home-followups-overdue = { $count } seguimientos atrasados
home-tasks-overdue = { $count } tareas atrasadas
home-nothing-urgent = Nada urgente.
home-whole-caseload = Todos mis casos
home-enrol = Inscribir a un participante
home-blank-encounter-form = Formulario de encuentro en blanco
home-missed-targets = Metas de contacto no cumplidas ({ $count })
home-missed-targets-intro = Personas en sus primeros 14 días después de salir cuya meta de contacto no se cumplió. Hable hoy con el especialista de apoyo.
home-first-shown = Aquí aparecen los { $shown } más urgentes de { $total }.
home-team-caseload = Todos los casos, los más urgentes primero
home-peer = Especialista de apoyo
home-window = Periodo
home-missed = No cumplido
home-window-day-short = día { $day }
home-first-contact-missed = primer contacto en 24 h
home-contacts-missed = 3 contactos en 14 días
home-none-on-track = Ninguna: todos los periodos van bien.
home-my-team = Mi equipo
home-email = Correo electrónico
home-caseload = Casos
home-no-peers = Todavía no tiene especialistas de apoyo a su cargo.
home-supervision-credentials = Supervisión y credenciales
home-supervision-this-month = Supervisión este mes (h)
home-credential-alerts = Avisos de credenciales
home-none = Ninguno
home-your-organisation = Su organización
home-count-participants = Participantes
home-count-active-staff = Personal activo
home-count-facilities = Centros
home-facilities-and-staff = Centros y personal
home-audit-log = Registro de auditoría
home-shared = Compartidos con usted ({ $count })
home-shared-intro = Usted ve la información de un participante solo mientras haya firmado un consentimiento que le nombre a usted o a su organización, y solo los tipos de información que aceptó compartir.
home-participant = Participante
home-date-of-birth = Fecha de nacimiento
home-you-may-see = Puede ver
home-no-one-shared = Nadie ha dado su consentimiento para compartir información con usted.
home-medical-emergency-access = Acceso por emergencia médica
home-recent-activity = Actividad reciente
home-when-utc = Cuándo (UTC)
home-action = Acción
home-no-activity = Todavía no hay actividad.
home-full-audit-log = El registro de auditoría completo
home-accounting = El registro de divulgaciones de un participante

urgency-window-at-risk = Periodo: meta en riesgo
urgency-in-window = En el periodo de 14 días
urgency-disengaged = Sin noticias
urgency-release-soon = Sale en 7 días o menos
urgency-overdue = Trabajo atrasado
urgency-routine = De rutina

# Sin noticias: la alerta temprana de desvinculación (decisión 0053).
home-not-heard-from = Sin noticias ({ $count })
home-not-heard-from-note = Personas en la comunidad sin un contacto completado durante el número de días que fija el programa, o cuyos últimos intentos de contacto fallaron todos. El silencio suele ser la primera señal de una recaída: comuníquese hoy.
home-not-heard-from-none = Hemos tenido noticias recientes de todas las personas en la comunidad.
disengaged-no-contact = { $days ->
    [1] Sin contacto completado desde hace 1 día
   *[other] Sin contacto completado desde hace { $days } días
}
disengaged-attempts = { $count ->
    [1] 1 intento sin contacto
   *[other] { $count } intentos seguidos sin contacto
}
disengaged-messages = { $count ->
    [1] 1 mensaje sin respuesta
   *[other] { $count } mensajes seguidos sin respuesta
}
disengaged-appointments = { $count ->
    [1] 1 cita perdida
   *[other] { $count } citas perdidas seguidas
}
