# tests/tests.mk — placeholder.
