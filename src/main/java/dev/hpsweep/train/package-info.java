/**
 * The {@link dev.hpsweep.train.Trainer} contract and its implementations (Deeplearning4j MLPs,
 * XGBoost4J boosted trees). This package and {@code data} are the only ones that import DL4J/ND4J,
 * and this one alone imports XGBoost4J (its Java API only); it may use the plain packages
 * ({@code space}, {@code data}) for trial specs and data sets.
 */
package dev.hpsweep.train;
