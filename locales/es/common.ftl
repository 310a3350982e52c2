# El marco de cada página, las fechas y lo que comparten los documentos impresos.

app-name = Throughcare
skip-to-content = Ir al contenido
nav-main = Principal
nav-home = Inicio
nav-caseload = Casos
nav-participants = Participantes
nav-groups = Grupos
nav-roster-import = Importar lista
nav-workforce = Personal
nav-dashboard = Panel
nav-reports = Informes
nav-organisation = Organización
nav-audit-log = Registro de auditoría
sign-out = Cerrar sesión
demo-banner = Sistema de demostración: todas las personas que aparecen son inventadas.
footer-api = API
role-admin = Administrador del programa
role-supervisor = Supervisor de pares
role-peer = Especialista de apoyo entre pares en recuperación
role-team = Miembro del equipo (organización asociada)
role-auditor = Auditor / responsable de privacidad

print = Imprimir
back-to-record = Volver al expediente
switch-language = English

date-long = { $day } de { $month } de { $year }
month-long = { $month ->
    [1] enero
    [2] febrero
    [3] marzo
    [4] abril
    [5] mayo
    [6] junio
    [7] julio
    [8] agosto
    [9] septiembre
    [10] octubre
    [11] noviembre
   *[12] diciembre
}
month-short = { $month ->
    [1] ene
    [2] feb
    [3] mar
    [4] abr
    [5] may
    [6] jun
    [7] jul
    [8] ago
    [9] sept
    [10] oct
    [11] nov
   *[12] dic
}

part2-notice = La parte 2 del título 42 del Código de Regulaciones Federales (42 CFR part 2) prohíbe la divulgación no autorizada de estos registros.

error-back = Volver a Throughcare
error-not-found = No encontrado
error-not-found-detail = No existe ese registro.
error-forbidden = No permitido
error-forbidden-detail = Su función no le permite hacer esto.
error-invalid = Datos no válidos
error-invalid-detail = Corrija lo que se indica abajo e intente de nuevo.
error-bad-request = Solicitud incorrecta
error-too-large = Contenido demasiado grande
error-too-large-detail = La solicitud ocupa más de { $limit } bytes.
error-step-required = Primero hace falta un paso
error-conflict = Conflicto
error-throttled = Demasiados intentos
error-internal = Algo salió mal
error-internal-detail = El servidor no pudo completar la solicitud (referencia { $reference }).
error-sign-in-needed = Hace falta iniciar sesión
