DROP TABLE field_alert_notices;
