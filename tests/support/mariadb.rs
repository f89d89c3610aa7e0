//! Throwaway MariaDB servers for tests (mariadb-install-db + mariadbd in a temp dir).
