/**
 * Search spaces: reading and validating search-space files (YAML or JSON) into {@link
 * dev.hpsweep.space.SearchSpace} records, the catalogue of model hyperparameters, and expanding a
 * space into its ordered {@link dev.hpsweep.space.TrialSpec}s (grid, zip, random).
 * It depends on plain Java and Jackson only (no Akka, DL4J or ND4J), so every decision here is
 * testable without an actor system or a model; every problem in a user's file becomes an
 * {@link dev.hpsweep.space.InputException} naming file, line, column and key.
 */
package dev.hpsweep.space;
