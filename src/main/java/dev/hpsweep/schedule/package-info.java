/**
 * Early-stopping and search decisions as pure classes: given what a trial and its peers have
 * reported, answer continue or stop with a reason ({@link dev.hpsweep.schedule.EarlyStopping} and
 * its rules), or name the next trial to start ({@link dev.hpsweep.schedule.TrialSource}: a fixed
 * list for grid and random search, proposals for TPE). Plain Java, reading the search-space records
 * of {@code dev.hpsweep.space}; no clocks and no unseeded randomness, so a resumed sweep can rebuild
 * every decision by replaying its journal. The actors ask, these classes decide.
 */
package dev.hpsweep.schedule;
