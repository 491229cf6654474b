/**
 * The actors of a sweep: SweepSupervisor (keeps at most N trials running), TrialActor (trains one
 * trial an epoch at a time on the training dispatcher) and MetricsAggregator (journals metrics,
 * keeps the leaderboard, asks the early-stopping rule); trials on other machines through {@link
 * dev.hpsweep.actors.TrialHost} (see {@code actors.cluster}). With actors.cluster the only package that imports Akka; all
 * decisions it delegates to the plain packages.
 */
package dev.hpsweep.actors;
