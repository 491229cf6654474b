/**
 * The {@link dev.hpsweep.train.Trainer} contract and its implementations (Deeplearning4j MLPs for now).
 * This package and {@code data} are the only ones that import DL4J/ND4J; it may use the plain
 * packages ({@code space}, {@code data}) for trial specs and data sets.
 */
package dev.hpsweep.train;
