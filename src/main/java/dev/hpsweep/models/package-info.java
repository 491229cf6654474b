/**
 * The model registry: one {@link dev.hpsweep.models.ModelType} class per model type (its name,
 * its documented parameters, the data kinds it accepts, how to build its trainers and how to use
 * its saved models) and {@link dev.hpsweep.models.ModelRegistry}, which knows the built-in types
 * and users' types from their own jars. Nothing outside this package names a model type: the
 * search space asks the registry through {@link dev.hpsweep.space.ModelCatalogue}, the command
 * line for trainer factories and saved-model readers. May use {@code space}, {@code data} and
 * {@code train}; no actors.
 */
package dev.hpsweep.models;
