# La hoja informativa que se entrega al salir: naloxona y medicamentos para el trastorno por
# consumo de opioides. Texto general: el programa añade a mano sus propios contactos.

release-title = Al salir: cómo mantenerse con vida y seguir con su medicamento
release-for = Para <strong>{ $name }</strong> · impreso el { $printed }
release-risk-h = Por qué importan las primeras semanas
release-risk = Después de un tiempo bajo custodia, su cuerpo ya no está acostumbrado a los opioides. La misma cantidad que usaba antes ahora puede detener su respiración. El riesgo de una sobredosis mortal es más alto en las dos primeras semanas después de salir.
release-risk-tips = No consuma a solas. Lleve naloxona y diga a quienes le rodean dónde la tiene. Gran parte de las drogas de la calle contienen fentanilo, también las pastillas y los estimulantes.

naloxone-h = Naloxona (Narcan): revierte una sobredosis de opioides
naloxone-signs-h = Señales de una sobredosis
naloxone-sign-wake = La persona no se despierta, o no responde cuando grita su nombre o le frota con fuerza el esternón.
naloxone-sign-breathing = Respira despacio, débilmente o ha dejado de respirar; puede hacer ruidos como gorgoteos o ronquidos.
naloxone-sign-colour = Los labios y las puntas de los dedos se ponen azules o grises; la piel está fría o húmeda.
naloxone-sign-pupils = Las pupilas (el centro negro de los ojos) son muy pequeñas.
naloxone-steps-h = Qué hacer
naloxone-step-call = Llame al 911. Diga que la persona no respira o no se despierta, y dónde está.
naloxone-step-give = Dé naloxona: acueste a la persona boca arriba, ponga el aerosol nasal en una fosa nasal y presione el émbolo.
naloxone-step-breathe = Si no respira, dé respiración de rescate o RCP si sabe hacerlo; la operadora del 911 le puede guiar.
naloxone-step-second = Si no responde después de 2 a 3 minutos, dé una segunda dosis en la otra fosa nasal.
naloxone-step-stay = Póngala de lado (en posición de recuperación) y quédese con ella hasta que llegue la ayuda. La naloxona deja de hacer efecto en 30 a 90 minutos y la sobredosis puede volver.
naloxone-get = El aerosol nasal de naloxona se vende sin receta en las farmacias, y muchos departamentos de salud y programas lo regalan. Pida un kit a su especialista de apoyo antes de salir.
good-samaritan-h = Llamar al 911 por una sobredosis
good-samaritan = La mayoría de los estados tienen una ley del Buen Samaritano que protege a quien llama al 911 por una sobredosis, y a la persona que tuvo la sobredosis, de ser arrestados o acusados por tener pequeñas cantidades de drogas. Lo que cubre cambia de un estado a otro, y puede no cubrir una violación de la libertad condicional o probatoria: pregunte a su especialista de apoyo qué cubre la ley de su estado. Llame siempre: salvar una vida es lo primero.

moud-h = Medicamentos para el trastorno por consumo de opioides (MOUD)
moud-what = La buprenorfina (Suboxone, Sublocade), la metadona y la naltrexona (Vivitrol) tratan el trastorno por consumo de opioides. Seguir tomándolos después de salir reduce el riesgo de sobredosis y de muerte.
moud-continue-h = Cómo seguir con su medicamento después de salir
moud-continue-record = Antes de salir, pida un registro de su medicamento y de su última dosis, y una receta o un suministro puente para los primeros días.
moud-continue-appointment = Tenga una cita con un médico que lo recete o con un programa de tratamiento en la comunidad dentro de los 3 días (72 horas) después de salir. No espere a que se le acabe.
moud-continue-insurance = Medicaid y la mayoría de los seguros médicos pagan los MOUD. Pida que le restablezcan Medicaid, o solicítelo, antes de salir.
moud-where-h = Dónde conseguirlo
moud-where-methadone = Metadona: solo en un programa de tratamiento de opioides (una clínica de metadona).
moud-where-buprenorphine = Buprenorfina: con un médico, enfermero practicante o asistente médico que la recete, o en un programa de tratamiento de opioides.
moud-where-naltrexone = Naltrexona: con un profesional que la recete, normalmente como una inyección mensual. Debe pasar de 7 a 10 días sin opioides antes de la primera dosis.
moud-where-find = Para encontrar tratamiento cerca de usted: FindTreatment.gov, o la Línea Nacional de Ayuda de SAMHSA, 1-800-662-4357 (gratuita, confidencial, todos los días, en inglés y en español).
moud-my-plan-h = Mi plan
moud-my-prescriber = Mi médico o clínica: ______________________________________
moud-my-appointment = Mi primera cita: fecha ____ / ____ / ________ hora ________
moud-my-peer = Mi especialista de apoyo: ______________________________________
