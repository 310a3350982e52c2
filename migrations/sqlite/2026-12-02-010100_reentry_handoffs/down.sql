DROP TABLE reentry_handoffs;
