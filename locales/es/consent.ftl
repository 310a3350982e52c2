# Los formularios de consentimiento y de revocación (42 CFR 2.31, 2.35), el formulario en blanco
# para firmar en papel y el registro de divulgaciones (42 CFR 2.24).

consent-title = Consentimiento para compartir información
consent-blank-title = Consentimiento para compartir información (para firmar en papel)
consent-i-allow = Yo, <strong>{ $name }</strong> (fecha de nacimiento { $born }), permito que <strong>{ $program }</strong> comparta la siguiente información sobre mí:
consent-with = Con:
consent-for = Para:
consent-until = Hasta:
consent-until-date = el { $date }
consent-cj = Este consentimiento es para el tribunal, libertad condicional o probatoria que puso mi participación como condición
consent-cj-only-what-they-need = Solo comparte lo que necesitan para seguir mi progreso.
consent-cj-irrevocable = No lo puedo revocar antes del { $date }.
consent-revoke-from = Puedo revocar este consentimiento por escrito en cualquier momento a partir del { $date }.
consent-revoke-any-time = Puedo revocar este consentimiento por escrito en cualquier momento.
consent-revoking-does-not-undo = La revocación no deshace lo que ya se compartió.
consent-not-a-condition = Mi participación en el programa no depende de firmar este consentimiento.
consent-not-a-condition-cj = Mi participación en el programa no depende de firmar este consentimiento, salvo lo que haya ordenado el tribunal.
consent-signed = Firmado:
consent-signed-on-paper = en papel (copia escaneada)
consent-date = Fecha:
consent-signed-by-representative = Firmado por su representante

revocation-title = Revocación de mi consentimiento
revocation-i-revoke = Yo, <strong>{ $name }</strong>, revoco el consentimiento { $id } firmado el { $signed }
revocation-that-let = que permitía a { $program } compartir mi información con: { $recipients }.
revocation-understand = Entiendo que la revocación vale desde ahora y que no deshace lo que ya se compartió.
revocation-cj = Este consentimiento de justicia penal no se puede revocar antes del { $date }.
signature-line = Firma: ______________________________ Fecha: ____ / ____ / ________

blank-back = Volver a los consentimientos
blank-i-allow = Yo, <strong>{ $name }</strong> (fecha de nacimiento { $born }), permito que <strong>{ $program }</strong> comparta la información sobre mí que marco a continuación.
blank-what = Qué se puede compartir (marque cada una)
blank-with = Con (nombre de cada persona u organización):
blank-for = Para (marque una):
blank-other = Otro:
blank-until = Hasta:
blank-until-line = la fecha ____ / ____ / ________ o el evento ______________________________
blank-revoke = Puedo revocar este consentimiento por escrito en cualquier momento, salvo lo que ya se compartió; si es una condición de mi liberación ante un tribunal o de mi libertad condicional o probatoria (42 CFR 2.35), puedo revocarlo a partir de: ____ / ____ / ________ o del evento ______________________.
blank-not-a-condition = Mi participación en el programa no depende de firmar este consentimiento, salvo lo que haya ordenado un tribunal.
blank-representative = Si firma un representante: nombre ______________________ autoridad ______________________

disclosures-title = Registro de divulgaciones
disclosures-intro = Para <strong>{ $name }</strong>: cada vez que alguien fuera del programa vio, imprimió o exportó su información, desde el { $since }.
disclosures-prepared = Preparado el { $date }.
disclosures-years = Años
disclosures-show = Mostrar
disclosures-when = Cuándo
disclosures-who = Quién
disclosures-organisation = Organización
disclosures-what = Qué
disclosures-how = Cómo
disclosures-basis = Base
disclosures-consent = consentimiento { $id }
disclosures-emergency = emergencia médica
disclosures-none = Ninguna.
disclosure-action-view = vio
disclosure-action-print = imprimió
disclosure-action-export = exportó
disclosure-action-list = listó
