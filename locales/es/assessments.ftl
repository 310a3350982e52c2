# El BARC-10 (Evaluación Breve del Capital de Recuperación: sus diez afirmaciones y su escala de
# seis puntos), las etapas de cambio con lo que un especialista puede ofrecer en cada una, y las
# dos hojas impresas para el participante: el BARC-10 para llenar en papel y las preguntas de
# seguimiento.

barc10-item-1 = Hay cosas en la vida más importantes para mí que consumir sustancias.
barc10-item-2 = En general, me siento feliz con mi vida.
barc10-item-3 = Tengo suficiente energía para completar las tareas que me propongo.
barc10-item-4 = Siento orgullo por la comunidad en la que vivo y me siento parte de ella.
barc10-item-5 = Recibo mucho apoyo de mis amistades.
barc10-item-6 = Considero que mi vida es desafiante y plena sin necesidad de consumir drogas o alcohol.
barc10-item-7 = El lugar donde vivo me ha ayudado a avanzar en mi camino de recuperación.
barc10-item-8 = Asumo toda la responsabilidad de mis actos.
barc10-item-9 = Me siento a gusto tratando con distintos tipos de profesionales.
barc10-item-10 = Estoy avanzando bien en mi camino de recuperación.
barc10-scale-1 = Totalmente en desacuerdo
barc10-scale-2 = En desacuerdo
barc10-scale-3 = Algo en desacuerdo
barc10-scale-4 = Algo de acuerdo
barc10-scale-5 = De acuerdo
barc10-scale-6 = Totalmente de acuerdo

barc10-print-title = Evaluación Breve del Capital de Recuperación (BARC-10)
barc10-print-page-title = BARC-10: { $name }
barc10-print-for = Para <strong>{ $name }</strong> · impreso el { $printed }
barc10-print-intro = Estas son diez afirmaciones sobre su vida y su recuperación. Para cada una, marque la casilla que indica cuánto está de acuerdo o en desacuerdo con ella hoy. No hay respuestas correctas ni incorrectas.
barc10-print-date = Fecha: ____ / ____ / ________
barc10-print-scale = De acuerdo o en desacuerdo
barc10-print-program = Para el programa: total ______ (de 10 a 60)

followups-print-title = Preguntas de seguimiento
followups-print-page-title = Seguimiento: { $name }
followups-print-for = Para <strong>{ $name }</strong> · impreso el { $printed }
followups-print-intro = Su especialista de apoyo le hace estas preguntas unos 30, 90, 180 y 365 días después de su salida (o después de empezar con el programa en la comunidad), para saber cómo le va y qué ayuda necesita. Puede saltarse cualquier pregunta.
followups-print-which = Qué seguimiento es (marque uno)
followups-print-next = Próximo: { $point }, el { $date }
followups-print-date = Fecha: ____ / ____ / ________
followups-ask-rearrested = Desde nuestro último contacto, ¿ha tenido algún arresto?
followups-ask-reincarcerated = Desde nuestro último contacto, ¿ha pasado tiempo en la cárcel o en prisión?
followups-ask-overdose = Desde nuestro último contacto, ¿ha tenido una sobredosis?
followups-ask-in-treatment = ¿Está recibiendo tratamiento por consumo de sustancias ahora?
followups-ask-employed = ¿Está trabajando ahora?
followups-ask-insured = ¿Tiene seguro médico ahora (incluido Medicaid)?
followups-ask-housing = ¿Dónde vive ahora?
followups-housing-stable = En un lugar estable (mi propia casa, o un arreglo que dura)
followups-housing-temporary = En un lugar temporal (me quedo con otras personas por ahora)
followups-housing-shelter = En un albergue
followups-housing-street = En la calle, o sin un lugar fijo
followups-housing-institution = En una institución (hospital, residencia de tratamiento, cárcel o prisión)
followups-ask-barc10 = Capital de recuperación: revisamos juntos las diez afirmaciones del BARC-10, en su propia hoja.
followups-ask-note = Algo más que quiera contarnos:
followups-print-program = Para el programa: registrado el ____ / ____ / ________ por ______________________
followups-barc-link = Preguntas del BARC-10 (para imprimir)

stage-precontemplation = Precontemplación
stage-contemplation = Contemplación
stage-preparation = Preparación
stage-action = Acción
stage-maintenance = Mantenimiento

stage-tip-precontemplation-1 = Cree confianza: escuche más de lo que habla y llegue cuando dijo que llegaría.
stage-tip-precontemplation-2 = Comparta su propia experiencia vivida de la recuperación y del sistema de justicia, de forma breve y honesta.
stage-tip-precontemplation-3 = No presione para que cambie; pregunte qué le importa y respete que la decisión es suya.
stage-tip-precontemplation-4 = Ofrezca reducción de daños: un kit de naloxona y capacitación, y lo que la menor tolerancia después de la custodia significa para el riesgo de sobredosis.
stage-tip-contemplation-1 = Explore los sentimientos encontrados: pregunte qué tiene de bueno y qué no tan bueno su consumo.
stage-tip-contemplation-2 = Devuélvale sus propias razones para cambiar, con sus palabras.
stage-tip-contemplation-3 = Cuente cómo sopesó usted la misma decisión y qué le ayudó a decidir.
stage-tip-contemplation-4 = Dé información sobre las opciones (tratamiento, MOUD, ayuda mutua, comunidad de recuperación) sin imponer ninguna.
stage-tip-contemplation-5 = Mantenga la reducción de daños: la naloxona, y el riesgo de sobredosis en las dos primeras semanas después de salir.
stage-tip-preparation-1 = Explore los obstáculos que espera (identificación, seguro, vivienda, transporte, condiciones de supervisión) y cómo superarlos.
stage-tip-preparation-2 = Hablen de estrategias que le funcionaron antes, a la persona o a usted.
stage-tip-preparation-3 = Ofrezca preparar juntos el plan de recuperación y reinserción, con metas en sus propias palabras.
stage-tip-preparation-4 = Ayude con un primer paso pequeño: una llamada, un formulario, una cita.
stage-tip-action-1 = Respalde los pasos que está dando y nombre el progreso que ve.
stage-tip-action-2 = Vincule con recursos y dé seguimiento a las derivaciones hasta que se concreten.
stage-tip-action-3 = Planifiquen juntos para las situaciones de alto riesgo y los detonantes, sobre todo en los primeros días después de salir.
stage-tip-action-4 = Celebre los logros, por pequeños que sean.
stage-tip-maintenance-1 = Ayude a construir capital de recuperación: relaciones, vivienda, trabajo y comunidad.
stage-tip-maintenance-2 = Planifiquen juntos para los tropiezos, y trate una recaída como información, no como un fracaso.
stage-tip-maintenance-3 = Conecte a la persona con la comunidad de recuperación y con funciones que le permitan devolver, como acompañar a otros.
stage-tip-maintenance-4 = Revisen las metas en todas las áreas de la vida y actualicen el plan a medida que la vida cambia.
