DROP INDEX users_org_role_name;
