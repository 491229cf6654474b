/**
 * The leaderboard (ranking trials by their best objective value) and its text and CSV renderings,
 * and {@code hpsweep report}'s plots (XChart, and Java2D for prediction maps) and HTML page.
 * Plain Java over {@code space} and {@code journal} records plus XChart; no actors, no models:
 * what needs a model (a prediction map's labels) arrives here as plain arrays.
 */
package dev.hpsweep.report;
