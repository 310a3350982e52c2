DROP TABLE field_visits;
