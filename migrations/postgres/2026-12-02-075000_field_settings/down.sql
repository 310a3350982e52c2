DROP TABLE field_settings;
