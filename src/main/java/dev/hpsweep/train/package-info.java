/**
 * The {@link dev.hpsweep.train.Trainer} contract and its check ({@link dev.hpsweep.train.TrainerContract}),
 * the shared DL4J loop ({@link dev.hpsweep.train.Dl4jTrainer}) with the network definitions it trains
 * ({@link dev.hpsweep.train.MlpNetwork}) and their shared settings, and the XGBoost4J booster trainer.
 * The only package that imports DL4J/ND4J and XGBoost4J (its Java API only); it may use the plain
 * packages ({@code space}, {@code data}) for trial specs and data sets. Which model types exist is
 * the {@code models} package's business, not this one's.
 */
package dev.hpsweep.train;
