# Lo que está mal en un campo de un formulario, junto al nombre del campo.

error-required = es obligatorio
error-too-long = debe tener como máximo { $max } caracteres
error-not-a-date = { $value } no es una fecha (AAAA-MM-DD)
error-implausible-date = { $value } no es una fecha posible (del { $from } al { $to })
error-not-a-date-time = { $value } no es una fecha y hora (AAAA-MM-DDTHH:MM)
error-not-an-id = { $value } no es un identificador
error-not-a-whole-number = { $value } no es un número entero del { $min } al { $max }
error-unknown-value = valor desconocido { $value }; use uno de estos: { $allowed }

# Campos de los formularios, por el nombre que envía el formulario.
field-date-of-birth = Fecha de nacimiento
field-first-name = Nombre
field-last-name = Apellido
field-preferred-language = Idioma preferido
field-occurred-at = Cuándo
field-duration-minutes = Minutos
field-note = Nota
field-reason = Motivo
field-expected-release-on = Fecha prevista de salida
field-email = Correo electrónico
field-name = Nombre
