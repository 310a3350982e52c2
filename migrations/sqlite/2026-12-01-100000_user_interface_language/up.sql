-- Each user's interface language (decision 0043): `en` or `es`. NULL: not chosen, and pages
-- follow the browser's Accept-Language.
ALTER TABLE users ADD COLUMN language TEXT;
