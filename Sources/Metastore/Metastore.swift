// The Metastore module. See ../../README.md and ../shared/DESIGN.md for where it sits.
