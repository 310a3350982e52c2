# Las páginas de participantes: la lista y la búsqueda de una persona, la inscripción con los
# posibles duplicados que encuentra, y la fusión de un duplicado con un expediente; los tipos de
# identificador y por qué dos expedientes parecen ser la misma persona.

participants-title = Participantes
participants-find = Buscar a una persona
participants-find-hint = Nombre, fecha de nacimiento (AAAA-MM-DD o MM/DD/AAAA), número de registro de ingreso, identificación estatal o número de caso
participants-find-button = Buscar
participants-found = Resultados
participants-name = Nombre
participants-date-of-birth = Fecha de nacimiento
participants-matched = Coincide en
participants-no-one-found = No se encontró a nadie. Revise la ortografía, o pruebe con una fecha de nacimiento o un identificador.
participants-back-to-list = Volver a la lista
participants-only-mine = Solo los míos
participants-enrol = Inscribir a un participante
participants-none = No hay participantes que mostrar.
participants-first-name = Nombre
participants-last-name = Apellido
participants-preferred-name = Nombre preferido
participants-pronouns = Pronombres
participants-language = Idioma
participants-phone = Teléfono
participants-email = Correo electrónico
participants-born = fecha de nacimiento { $date }

enrol-title = Inscribir a un participante
enrol-duplicates-h = Puede que esta persona ya esté inscrita
enrol-duplicates-intro = No se ha guardado nada. Revise estos expedientes. Si uno es la misma persona, ábralo; si ninguno lo es, confírmelo abajo.
enrol-why-matches = Por qué coincide
enrol-likeness = Parecido
enrol-correct = Corrija estos campos
enrol-preferred-name = Nombre preferido (opcional)
enrol-pronouns = Pronombres (opcional)
enrol-language = Idioma preferido
enrol-booking-facility = Centro del registro de ingreso
enrol-assigned-peer = Especialista de apoyo asignado
enrol-not-assigned-yet = Todavía sin asignar
enrol-different-person = Lo revisé: es otra persona
enrol-button = Inscribir

merge-title = Fusionar un duplicado con este expediente
merge-page-title = Fusionar un duplicado con { $name }
merge-kept = Se conserva este expediente:
merge-moves = Todo lo registrado en el duplicado pasa a este; la fusión queda registrada y se puede deshacer.
merge-find = Buscar el duplicado
merge-no-one = No se encontró a nadie más. Revise la ortografía, o pruebe con una fecha de nacimiento o un identificador.
merge-duplicate = El expediente duplicado
merge-why = Por qué es la misma persona
merge-confirm = Sí, pasar todo lo del duplicado a este expediente
merge-button = Fusionar con este expediente

identifier-booking-number = Número de registro de ingreso
identifier-state-id = Identificación estatal / DIN
identifier-supervision-case = Número de caso de supervisión

matched-on-name = Nombre
matched-on-date-of-birth = Fecha de nacimiento
matched-on-booking-number = Número de registro de ingreso
matched-on-state-id = Identificación estatal / DIN
matched-on-supervision-case = Número de caso de supervisión

match-reason-same-identifier = Mismo identificador
match-reason-same-name-and-dob = Mismo nombre y fecha de nacimiento
match-reason-similar-name-same-dob = Nombre parecido, misma fecha de nacimiento
match-reason-transposed-dob = Fecha de nacimiento con el día y el mes invertidos
match-reason-name-swapped = Nombre y apellido invertidos
