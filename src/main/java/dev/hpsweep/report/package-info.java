/**
 * The leaderboard (ranking trials by their best objective value) and its text, CSV and, later,
 * plot renderings. Plain Java over {@code space} and {@code journal} records; no actors, no models.
 */
package dev.hpsweep.report;
