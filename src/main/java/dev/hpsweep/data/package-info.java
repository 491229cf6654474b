/**
 * Data sets as plain arrays: {@link dev.hpsweep.data.Dataset} with its train, validation and
 * test splits, the data sets shipped inside the jar ({@link dev.hpsweep.data.EmbeddedDatasets}) and
 * users' own CSV files ({@link dev.hpsweep.data.CsvDatasetReader}) and image folders
 * ({@link dev.hpsweep.data.ImageFolderReader}), and the input encodings a trial may ask for
 * ({@link dev.hpsweep.data.FeatureEncoding}).
 * This package is plain Java and may depend only on the JDK (javax.imageio included) and
 * {@code dev.hpsweep.space} (for {@link dev.hpsweep.space.InputException}); turning arrays into
 * ND4J or XGBoost matrices is the {@code train} package's job.
 */
package dev.hpsweep.data;
