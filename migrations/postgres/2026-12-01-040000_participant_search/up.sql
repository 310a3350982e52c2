-- Find people by name with accents and case ignored (issue 16, decision 0036): each participant's
-- first and last name folded as `participants::matching::normalize_name` folds them (lower case,
-- accents removed, apostrophes and hyphens joined), kept by every write of a name, and indexed
-- per organisation for a prefix search. Existing rows are folded here, a few letters a statement
-- (SQLite's parser refuses deeper nesting), with the accented letters of names met in practice;
-- a rarer letter is folded exactly the next time the name is written.
-- COLLATE "C": byte order, so that a prefix is a range the index answers on any locale.
ALTER TABLE participants ADD COLUMN search_first_name TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE participants ADD COLUMN search_last_name TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE participants SET search_first_name = lower(trim(first_name)), search_last_name = lower(trim(last_name));
UPDATE participants SET search_first_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_first_name, 'Á', 'a'), 'À', 'a'), 'Â', 'a'), 'Ä', 'a'), 'Ã', 'a'), 'Å', 'a'), 'á', 'a'), 'à', 'a'), 'â', 'a'), 'ä', 'a'), 'ã', 'a'), 'å', 'a'),
    search_last_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_last_name, 'Á', 'a'), 'À', 'a'), 'Â', 'a'), 'Ä', 'a'), 'Ã', 'a'), 'Å', 'a'), 'á', 'a'), 'à', 'a'), 'â', 'a'), 'ä', 'a'), 'ã', 'a'), 'å', 'a');
UPDATE participants SET search_first_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_first_name, 'É', 'e'), 'È', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'Í', 'i'), 'Ì', 'i'), 'Î', 'i'), 'Ï', 'i'),
    search_last_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_last_name, 'É', 'e'), 'È', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'Í', 'i'), 'Ì', 'i'), 'Î', 'i'), 'Ï', 'i');
UPDATE participants SET search_first_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_first_name, 'í', 'i'), 'ì', 'i'), 'î', 'i'), 'ï', 'i'), 'Ó', 'o'), 'Ò', 'o'), 'Ô', 'o'), 'Ö', 'o'), 'Õ', 'o'), 'Ø', 'o'), 'ó', 'o'), 'ò', 'o'),
    search_last_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_last_name, 'í', 'i'), 'ì', 'i'), 'î', 'i'), 'ï', 'i'), 'Ó', 'o'), 'Ò', 'o'), 'Ô', 'o'), 'Ö', 'o'), 'Õ', 'o'), 'Ø', 'o'), 'ó', 'o'), 'ò', 'o');
UPDATE participants SET search_first_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_first_name, 'ô', 'o'), 'ö', 'o'), 'õ', 'o'), 'ø', 'o'), 'Ú', 'u'), 'Ù', 'u'), 'Û', 'u'), 'Ü', 'u'), 'ú', 'u'), 'ù', 'u'), 'û', 'u'), 'ü', 'u'),
    search_last_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_last_name, 'ô', 'o'), 'ö', 'o'), 'õ', 'o'), 'ø', 'o'), 'Ú', 'u'), 'Ù', 'u'), 'Û', 'u'), 'Ü', 'u'), 'ú', 'u'), 'ù', 'u'), 'û', 'u'), 'ü', 'u');
UPDATE participants SET search_first_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_first_name, 'Ñ', 'n'), 'ñ', 'n'), 'Ç', 'c'), 'ç', 'c'), 'Ý', 'y'), 'ý', 'y'), 'ÿ', 'y'), 'Ÿ', 'y'), 'ß', 'ss'), 'Æ', 'ae'), 'æ', 'ae'), 'Œ', 'oe'),
    search_last_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_last_name, 'Ñ', 'n'), 'ñ', 'n'), 'Ç', 'c'), 'ç', 'c'), 'Ý', 'y'), 'ý', 'y'), 'ÿ', 'y'), 'Ÿ', 'y'), 'ß', 'ss'), 'Æ', 'ae'), 'æ', 'ae'), 'Œ', 'oe');
UPDATE participants SET search_first_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_first_name, 'œ', 'oe'), 'Ł', 'l'), 'ł', 'l'), '''', ''), '’', ''), '‘', ''), '-', ''), '‐', ''), '–', ''), '—', ''), '.', ' '), ',', ' '),
    search_last_name = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_last_name, 'œ', 'oe'), 'Ł', 'l'), 'ł', 'l'), '''', ''), '’', ''), '‘', ''), '-', ''), '‐', ''), '–', ''), '—', ''), '.', ' '), ',', ' ');
UPDATE participants SET search_first_name = replace(replace(search_first_name, '  ', ' '), '  ', ' '),
    search_last_name = replace(replace(search_last_name, '  ', ' '), '  ', ' ');
UPDATE participants SET search_first_name = trim(search_first_name), search_last_name = trim(search_last_name);
CREATE INDEX participants_org_search_last ON participants(org_id, search_last_name);
CREATE INDEX participants_org_search_first ON participants(org_id, search_first_name);
CREATE INDEX participants_org_dob ON participants(org_id, date_of_birth);
-- An identifier typed into the search, of whatever kind.
CREATE INDEX participant_identifiers_org_value ON participant_identifiers(org_id, value);
