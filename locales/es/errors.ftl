# Lo que está mal en un campo de un formulario, junto al nombre del campo.

error-required = es obligatorio
error-in-the-future = está en el futuro
error-in-the-past = está en el pasado
error-too-long = debe tener como máximo { $max } caracteres
error-not-a-date = { $value } no es una fecha (AAAA-MM-DD)
error-implausible-date = { $value } no es una fecha posible (del { $from } al { $to })
error-not-a-date-time = { $value } no es una fecha y hora (AAAA-MM-DDTHH:MM)
error-not-an-id = { $value } no es un identificador
error-not-a-whole-number = { $value } no es un número entero del { $min } al { $max }
error-unknown-value = valor desconocido { $value }; use uno de estos: { $allowed }

# Campos de los formularios, por el nombre que envía el formulario.
field-assigned-peer-id = Especialista asignado
field-at-time = Hora
field-answers = Respuestas
field-booking-facility = Centro del registro de ingreso
field-booking-number = Número de registro de ingreso
field-certainty = Certeza
field-completed-on = Completado el
field-current-password = Contraseña actual
field-date-of-birth = Fecha de nacimiento
field-detail = Detalle
field-domain = Área de vida
field-done-on = Hecho el
field-due-on = Vence el
field-duration-minutes = Minutos
field-email = Correo electrónico
field-ended-on = Terminó el
field-expected-release-on = Fecha prevista de salida
field-facility-id = Centro
field-first-name = Nombre
field-housing = Vivienda
field-kind = Tipo
field-label = Etiqueta
field-language = Idioma preferido
field-last-name = Apellido
field-life-domains = Temas
field-mode = Modalidad
field-name = Nombre
field-new-password = Contraseña nueva
field-note = Nota
field-scheduled-on = Fecha
field-starts-at = Hora
field-occurred-at = Cuándo
field-occurred-on = Fecha
field-outcome = Resultado
field-overdose = Sobredosis
field-owner = Quién lo hace
field-peer-id = Especialista
field-phone = Teléfono
field-preferred-language = Idioma preferido
field-preferred-name = Nombre preferido
field-pronouns = Pronombres
field-provider-contact = Contacto del proveedor
field-provider-name = Proveedor
field-reason = Motivo
field-recorded-on = Registrado el
field-referral-type = Tipo de derivación
field-referred-on = Derivado el
field-services-consent-on = Consentimiento a los servicios el
field-setting = Entorno
field-stage = Etapa
field-started-on = Comenzó el
field-state-id = Identificación estatal
field-statement = Meta
field-status = Estado
field-step = Paso
field-supervision-case = Número de caso de supervisión
field-supervision-office = Oficina de supervisión
field-taken-on = Realizado el
field-topics = Competencias
field-description = Descripción
field-employed = Con empleo
field-in-treatment = En tratamiento
field-insured = Con seguro médico
field-interview-on = Fecha de la entrevista
field-not-applicable-reason = Por qué no corresponde
field-rearrested = Nuevo arresto
field-reincarcerated = Nuevo encarcelamiento
field-timepoint = Momento
field-total = Total
field-typed-value = Número tal como se escribió
field-value = Valor
field-also-participant-ids = Otros participantes
field-attendees = Quiénes asistieron
field-barc10-total = Total del BARC-10
field-body = Texto
field-categories = Categorías de información
field-ce-ethics-hours = Horas de ética
field-changes = Cambios
field-chart = Gráfico
field-checklist-offsets = Lista de tareas
field-code = Código
field-conditions = Condiciones
field-confirm-password = Confirmar contraseña
field-consent = Consentimiento
field-decided-on = Decidido el
field-decision = Decisión
field-denial-reason = Motivo de la denegación
field-dob = Fecha de nacimiento
field-duplicate-id = Registro duplicado
field-expires-on = Vence el
field-facility = Centro
field-first-contact-hours = Horas hasta el primer contacto
field-format = Formato
field-from = Desde
field-to = Hasta
field-identifiers = Identificadores
field-merge-id = Fusión
field-method = Cómo se hizo (método)
field-min-contacts = Contactos mínimos
field-on = Fecha
field-organisations = Organizaciones
field-page = Página
field-participant = Participante
field-password = Contraseña
field-period = Período
field-point = Seguimiento
field-purpose = Finalidad
field-quarter = Trimestre
field-recipients = Destinatarios
field-record-type = Tipo de registro
field-renewal-years = Años hasta la renovación
field-role = Función
field-signature-kind = Firma
field-slug = Nombre corto
field-standard-id = Estándar de credencial
field-step-done-id = Paso
field-time-zone = Zona horaria
field-token-lifetime-days = Duración de los tokens (días)
field-training = Capacitación
field-window-days = Plazo (días)

# Inicio de sesión, contraseñas, inicio de sesión en dos pasos y tokens de la API.
error-password-confirm = escriba de nuevo su propia contraseña para confirmar que es usted
error-password-not-current = esa no es su contraseña actual
error-password-same = elija una contraseña distinta de la actual
error-password-too-short = debe tener al menos { $min } caracteres
error-password-too-many-bytes = debe ocupar como máximo { $max } bytes
error-password-too-common = es demasiado común o fácil de adivinar{ $why ->
        [StraightRowsOfKeysAreEasyToGuess] {" "}(las filas seguidas de teclas son fáciles de adivinar)
        [ShortKeyboardPatternsAreEasyToGuess] {" "}(los patrones cortos del teclado son fáciles de adivinar)
        [RepeatsLikeAaaAreEasyToGuess] {" "}(las repeticiones como "aaa" son fáciles de adivinar)
        [RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess] {" "}(las repeticiones como "abcabcabc" son apenas un poco más difíciles de adivinar que "abc")
        [ThisIsATop10Password] {" "}(es una de las 10 contraseñas más comunes)
        [ThisIsATop100Password] {" "}(es una de las 100 contraseñas más comunes)
        [ThisIsACommonPassword] {" "}(es una contraseña muy común)
        [ThisIsSimilarToACommonlyUsedPassword] {" "}(se parece a una contraseña muy usada)
        [SequencesLikeAbcAreEasyToGuess] {" "}(las secuencias como abc o 6543 son fáciles de adivinar)
        [RecentYearsAreEasyToGuess] {" "}(los años recientes son fáciles de adivinar)
        [AWordByItselfIsEasyToGuess] {" "}(una sola palabra es fácil de adivinar)
        [DatesAreOftenEasyToGuess] {" "}(las fechas suelen ser fáciles de adivinar)
        [NamesAndSurnamesByThemselvesAreEasyToGuess] {" "}(los nombres y apellidos solos son fáciles de adivinar)
        [CommonNamesAndSurnamesAreEasyToGuess] {" "}(los nombres y apellidos comunes son fáciles de adivinar)
        [context] {" "}(está basada en su nombre, su correo electrónico o el nombre del servicio)
       *[none] {""}
    }; elija una frase más larga de varias palabras sin relación entre sí
error-too-many-sign-ins = Demasiados intentos fallidos de iniciar sesión. Intente de nuevo en { $seconds } segundos.
error-too-many-codes = Demasiados códigos incorrectos. Intente de nuevo en { $seconds } segundos.
error-confirm-password-first = primero confirme su contraseña (la página /account/confirm); este paso requiere haber iniciado sesión o confirmado en los últimos { $minutes } minutos
error-mfa-already-set-up = el inicio de sesión en dos pasos ya está configurado; un administrador puede restablecerlo
error-mfa-start-again = empiece de nuevo a configurar el inicio de sesión en dos pasos
error-mfa-code-mismatch = ese código no coincide; revise la hora de la aplicación
error-token-from-session = los tokens de la API se crean desde una sesión iniciada en el navegador (la página de su cuenta), nunca con otro token
error-token-needs-second-factor = primero configure el inicio de sesión en dos pasos (/sign-in/set-up-second-factor): su función lo exige antes de crear un token de la API
error-token-label = use como máximo 100 caracteres, en una sola línea
error-whole-days-from-to = debe ser un número entero de días del { $min } al { $max }
error-choose-language = elija English o Español
error-unknown-format = formato desconocido { $value }; use json o csv
error-not-a-time-zone = { $value } no es una zona horaria de la base de datos tz (por ejemplo, America/Chicago)
error-clocks-went-forward = { $time } no existió en { $zone }: los relojes se adelantaron a esa hora; indique una hora anterior o posterior al cambio
error-already-exists = ya existe ({ $constraint })

# Números y códigos.
error-from-to = debe estar entre { $min } y { $max }
error-not-a-number = { $value } no es un número
error-is-not-a-number = no es un número
error-hours-above-zero = debe ser un número de horas mayor que 0 y de { $max } como máximo
error-number-from-zero = debe ser un número del 0 al { $max }
error-whole-number = debe ser un número entero
error-required-at-most = es obligatorio (como máximo { $max } caracteres)

# Organizaciones, centros y cuentas del personal.
error-slug = use de 1 a 60 letras minúsculas, dígitos y guiones
error-slug-taken = ya existe una organización con este identificador
error-facility-name-taken = su organización ya tiene un centro con este nombre
error-email-taken = ya existe una cuenta con este correo electrónico
error-not-an-email = no es una dirección de correo electrónico
error-unknown-facility-kind = tipo de centro desconocido { $value }; use uno de estos: { $allowed }
error-unknown-setting = entorno desconocido { $value }; use uno de estos: { $allowed }
error-unknown-role = función desconocida { $value }; use una de estas: { $allowed }
error-not-whole-days-from-to = { $value } no es un número entero de días del { $min } al { $max }
error-password-mismatch = no coincide con la contraseña
error-link-used = este enlace ya se usó; pida uno nuevo a un administrador
error-link-expired = este enlace venció; pida uno nuevo a un administrador
error-account-disabled-no-link = { $email } está desactivada; una cuenta desactivada no recibe enlace para crear contraseña
error-disable-own-account = no puede desactivar su propia cuenta; pídaselo a otro administrador
error-last-administrator = { $email } es el último administrador de la organización; agregue otro antes de desactivarlo
error-emergency-already-ended = el acceso de emergencia { $id } ya terminó el { $at }
error-amend-followup-not-recorded = Este seguimiento todavía no se registró: regístrelo en lugar de enmendarlo.

# Entrevistas de seguimiento.
error-followup-already-recorded = El seguimiento { $point ->
         [day30] de 30 días
         [day90] de 90 días
         [day180] de 180 días
        *[day365] de 365 días
    } ya se registró (completado el { $done }); no se cambió nada. Para cambiar sus respuestas, enmiéndelo indicando el motivo: POST /api/v1/participants/{ $participant }/followups/{ $point }/amendments, o "Enmendar" en la página del participante.
error-followup-not-recorded = El seguimiento { $point ->
         [day30] de 30 días
         [day90] de 90 días
         [day180] de 180 días
        *[day365] de 365 días
    } todavía no se registró: regístrelo (POST /api/v1/participants/{ $participant }/followups) en lugar de enmendarlo.

# Participantes: búsqueda, registros, identificadores, fusión y enmiendas.
error-type-the-name = escriba el nombre de la persona
error-type-the-date-of-birth = escriba la fecha de nacimiento (AAAA-MM-DD o MM/DD/AAAA)
error-type-what-to-search = escriba un nombre, una fecha de nacimiento (AAAA-MM-DD o MM/DD/AAAA) o un número de registro de ingreso, de identificación estatal o de caso
error-emergency-search = en una emergencia, busque por nombre y fecha de nacimiento a la vez
error-no-such-participant = no existe ese participante
error-choose-duplicate = elija el registro duplicado
error-merge-into-itself = un registro no se puede fusionar consigo mismo
error-merge-reason = diga por qué son la misma persona (como máximo 500 caracteres)
error-already-merged = este registro ya se fusionó
error-merge-already-undone = esta fusión ya se deshizo
error-unknown-identifier-kind = tipo de identificador desconocido { $value }; use booking_number, state_id o supervision_case
error-not-a-peer-of-your-organisation = no es un especialista ni un supervisor de su organización
error-not-an-active-peer = no es un especialista ni un supervisor activo de esta organización
error-not-an-identifier-of-participant = no es un identificador de este participante
error-nothing-to-change = indique al menos un campo, una corrección de identificador o un identificador para agregar
error-unknown-facility = no es un centro conocido
error-unknown-record-type = tipo de registro desconocido { $value }; use uno de estos: { $allowed }
error-amend-reason-required = es obligatorio: diga por qué cambian los valores registrados
error-followup-keeps-completion-date = un seguimiento registrado conserva su fecha de finalización; corríjala en lugar de dejarla en blanco
error-nothing-changed = todos los valores son iguales a los registrados: no hay nada que enmendar
error-not-amendable = no se puede enmendar
error-amend-reason-for-recorded = es obligatorio: { $field } ya contiene { $value }; una enmienda lo conserva y dice por qué cambia
error-wrong-type-of-value = tiene un tipo de valor incorrecto
error-not-amendable-on = no se puede enmendar en un registro { $record }; se pueden enmendar: { $allowed }
error-computed = se calcula; enmiende aquello de lo que se calcula
error-nothing-to-amend = indique al menos un campo para enmendar
error-not-blank = no puede quedar en blanco
error-must-be-text = debe ser texto
error-must-be-text-or-null = debe ser texto o null
error-must-be-true-false-or-null = debe ser true, false o null
error-must-be-a-date = debe ser una fecha (AAAA-MM-DD)
error-before-1900 = es anterior a 1900
error-barc-answers-required = se necesitan diez respuestas del 1 al 6
error-barc-ten-numbers = deben ser diez números del 1 al 6
error-barc-ten-answers = deben ser diez respuestas del 1 al 6 ({ $detail })
error-not-a-gpra-interview = no es una entrevista GPRA: { $detail }
error-gpra-answers = { $detail }

# El recorrido: episodios, custodia, encuentros, grupos, derivaciones, listas de tareas, ajustes.
error-not-a-page-of-import = no es una página de esta importación (de 1 a { $pages })
error-choose-facility = elija el centro
error-tick-attendee = marque al menos a una persona que asistió
error-not-enrolled-at = { $name } no está inscrito en { $facility } (no tiene un episodio abierto allí)
error-no-followup-scheduled = no hay ningún seguimiento programado: primero registre una salida (o una inscripción en la comunidad)
error-amend-answers-reason = es obligatorio: diga por qué cambian las respuestas registradas
error-not-a-time = { $value } no es una hora (HH:MM)
error-release-in-future = una salida no se puede registrar antes de que ocurra; registre una salida prevista (expected_release)
error-no-open-episode-to-discharge = no hay ningún episodio abierto para dar de alta
error-before-episode-started = es anterior al inicio del episodio
error-barc-answer-count = se esperaban { $expected } respuestas y llegaron { $got }
error-barc-answer-out-of-range = { $value } está fuera de { $min }..{ $max }
error-not-a-step-of-goal = no es un paso de esta meta
error-only-group-has-others = solo un encuentro grupal tiene otros participantes
error-no-open-episode = no hay ningún episodio abierto
error-no-checklist-yet = este episodio todavía no tiene lista de tareas: indique una fecha prevista de salida
error-no-such-checklist-item = la lista de tareas de este episodio no tiene esa tarea
error-item-done-reopen-first = esta tarea está hecha: primero vuelva a abrirla si no corresponde
error-inside-the-window = debe quedar dentro del plazo
error-unknown-checklist-item = tarea desconocida
error-planned-only-at-release = solo se planifica a la salida, desde una reunión abierta con el especialista
error-days-from-to = debe estar entre { $min } y { $max } días
error-not-minutes = { $value } no es un número de minutos
error-statement-needs-answer = la afirmación { $n } necesita una respuesta del 1 al 6
error-is-not-an-id = no es un identificador
error-not-a-participant = { $value } no es un participante
error-referral-reason-required = hace falta un motivo cuando una derivación se marca como "{ $status ->
        [could_not_contact] { referral-status-could-not-contact }
        [not_eligible] { referral-status-not-eligible }
        [no_capacity] { referral-status-no-capacity }
        [could_not_get_help] { referral-status-could-not-get-help }
        [no_longer_interested] { referral-status-no-longer-interested }
        [referred_elsewhere] { referral-status-referred-elsewhere }
       *[other] { $status }
    }"

# Consentimiento y acceso de emergencia.
error-consent-already-revoked = este consentimiento ya se revocó el { $at }
error-consent-irrevocable = este consentimiento de justicia penal (42 CFR 2.35) no se puede revocar hasta el { $until }
error-revocation-before-signing = una revocación no puede tener efecto antes de que se firmara el consentimiento ({ $signed })
error-revocation-wrong-consent = la revocación es del consentimiento { $got }, no del consentimiento { $expected }
error-not-one-of = { $value } no es uno de estos: { $allowed }
error-cj-recipient = un consentimiento de justicia penal (42 CFR 2.35) nombra un tribunal o una agencia de libertad condicional o supervisada (o a una persona de allí); esta organización no es ninguna de ellas
error-not-on-staff = esa persona no forma parte del personal de esa organización
error-only-medical-organisations = solo se pueden indicar organizaciones médicas (proveedor médico, proveedor de tratamiento, salud en la cárcel); no: { $names }
error-find-the-person = busque a la persona por nombre y fecha de nacimiento y luego elíjala
error-describe-emergency = describa la emergencia médica (al menos 10 caracteres)
error-unknown-consent-kind = tipo desconocido { $value }; use standard o criminal_justice
error-unknown-category = categoría desconocida { $value }
error-name-a-recipient = indique una organización (org_id), una persona de allí (org_id y user_id) o una clase (probation, parole, court, treatment_provider, jail_health, medical_provider)
error-unknown-purpose = finalidad desconocida { $value }
error-unknown-signature-kind = tipo de firma desconocido { $value }; use on_screen o paper_attested

# Informes.
error-not-a-period = { $value } no es un período de informe; use un año (2026), un trimestre (2026-Q3) o un mes (2026-07)
error-after-to = es posterior a la fecha final
error-period-too-long = el período dura más de diez años
error-not-a-setting = { $value } no es un entorno; use uno de estos: { $allowed }
error-chart-required = es obligatorio con CSV; use uno de estos: { $allowed }
error-unknown-chart = gráfico desconocido { $value }; use uno de estos: { $allowed }
error-public-fixed-periods = las tablas públicas se publican solo para períodos fijos; use period=2026, period=2026-Q3 o period=2026-07
error-period-not-ended = { $period } no ha terminado; las tablas públicas se publican para períodos terminados
error-not-a-quarter = { $value } no es un trimestre (como 2026Q3)
error-choose-timepoint = elija ingreso, seguimiento de 6 meses o alta

# El personal: credenciales, autorizaciones, barreras, preparación.
error-not-a-standard-here = no es un estándar de credencial de esta organización
error-denial-reason-required = es obligatorio cuando el estado es { $status } (use no_reason_given si no se dio ninguno)
error-only-denied-or-revoked = solo corresponde a denegada o revocada
error-only-granted = solo corresponde a otorgada
error-after-the-date = debe ser posterior a la fecha
error-not-a-facility = no es un centro
error-before-requested-on = es anterior a la fecha de solicitud
error-before-the-request = es anterior a la solicitud
error-at-most-40-domains = como máximo 40 áreas
error-ethics-exceeds-ce = no puede superar las horas de educación continua
error-before-applied-on = es anterior a la fecha de la solicitud
error-required-with-decision = es obligatorio cuando hay una decisión
error-required-with-decided-on = es obligatorio cuando hay fecha de decisión
error-training-line = línea { $line }: escriba "Área: horas"

# Los elementos de un consentimiento (42 CFR 2.31, 2.35).
error-consent-name-the-participant-whose-records-are = Indique el participante cuyos registros se divulgan.
error-consent-name-the-program-that-discloses-the = Indique el programa que divulga los registros.
error-consent-choose-a-standard-consent-or-a = Elija un consentimiento estándar o uno de justicia penal.
error-consent-choose-at-least-one-kind-of = Elija al menos un tipo de información para divulgar.
error-consent-a-criminal-justice-consent-is-limited = Un consentimiento de justicia penal se limita a lo necesario para dar seguimiento al progreso: no puede incluir notas de encuentros.
error-consent-name-at-least-one-recipient-a = Indique al menos un destinatario (una persona, una organización o una clase).
error-consent-state-the-purpose-of-the-disclosure = Indique la finalidad de la divulgación.
error-consent-describe-the-purpose-of-the-disclosure = Describa la finalidad de la divulgación.
error-consent-the-purpose-of-a-criminal-justice = La finalidad de un consentimiento de justicia penal es dar seguimiento al progreso.
error-consent-monitoring-progress-for-a-court-probation = Dar seguimiento al progreso para un tribunal o para la libertad a prueba o condicional requiere un consentimiento de justicia penal.
error-consent-state-when-the-consent-ends-a = Indique cuándo termina el consentimiento: una fecha o un hecho.
error-consent-the-end-date-is-in-the = La fecha de término ya pasó.
error-consent-describe-the-event-that-ends-the = Describa el hecho que pone fin al consentimiento.
error-consent-the-event-that-ends-the-consent = El hecho que pone fin al consentimiento ya ocurrió.
error-consent-the-participant-must-be-told-of = Se debe informar por escrito al participante de su derecho a revocarlo (lo que ya se hizo no se deshace).
error-consent-the-consent-must-be-signed-and = El consentimiento debe estar firmado y fechado.
error-consent-enter-the-name-of-the-person = Escriba el nombre de la persona que firma.
error-consent-the-signature-time-is-in-the = La hora de la firma está en el futuro.
error-consent-attach-the-scan-of-the-signed = Adjunte el escaneo del formulario en papel firmado.
error-consent-the-signature-date-is-in-the = La fecha de la firma está en el futuro.
error-consent-state-the-representatives-authority-to-sign = Indique la autoridad del representante para firmar (por ejemplo, tutor o padre o madre).
error-consent-state-the-disposition-or-condition-of = Indique la resolución o la condición de salida que exige la participación.
error-consent-only-a-criminal-justice-consent-can = Solo un consentimiento de justicia penal puede ser irrevocable.
error-consent-the-consent-cannot-be-irrevocable-beyond = El consentimiento no puede ser irrevocable más allá de la fecha de la resolución final.
error-consent-the-consent-cannot-be-irrevocable-beyond-2 = El consentimiento no puede ser irrevocable más allá de su fecha de término.
error-consent-cj-not-a-class = Un consentimiento de justicia penal (42 CFR 2.35) debe nombrar un tribunal o una agencia de libertad a prueba o condicional, o a una persona de allí, no una clase como "cualquier { $class ->
         [probation] libertad a prueba
         [parole] libertad condicional
         [court] tribunal
         [treatment_provider] proveedor de tratamiento
         [jail_health] servicios de salud de la cárcel
        *[medical_provider] proveedor médico
    }".

## The GPRA interview's checks
error-between-got = debe estar entre { $min } y { $max }; se recibió { $value }
error-gpra-intoxication-exceeds = { $days } días de intoxicación supera { $any } días de cualquier consumo de alcohol
error-gpra-both-exceeds = { $days } días de ambos supera { $value } ({ $name })
error-gpra-substance-between = { $substance }: debe estar entre 0 y { $max }; se recibió { $value }
error-gpra-substance-exceeds = { $substance }: { $days } días supera { $any } días de cualquier droga ilegal
error-listed-more-than-once = { $name } aparece más de una vez

error-appointment-outcome-recorded = el resultado de esta cita ya está registrado; nunca se reemplaza
error-appointment-not-yet = la cita es el { $date }: se puede marcar como asistida o no asistida desde ese día (o cancelar ahora)
