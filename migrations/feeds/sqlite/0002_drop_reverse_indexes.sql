-- Rows of one vulnerability are found through their lookup indexes, keyed from the stored record
-- that produced them (feeds/store/records.ts deleteVulnerabilities): these reverse indexes only
-- cost import time and space.
DROP INDEX affected_packages_vuln;
DROP INDEX vulnerability_aliases_vuln;
DROP INDEX cpe_products_vuln;
