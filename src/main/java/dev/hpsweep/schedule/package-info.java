/**
 * Early-stopping and search decisions as pure classes: given what a trial and its peers have
 * reported, answer continue or stop, with a reason. Plain Java only; the MetricsAggregator asks,
 * these classes decide.
 */
package dev.hpsweep.schedule;
