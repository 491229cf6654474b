/**
 * Durable sweep state: the append-only journal, per-trial metrics files, atomic whole-file
 * writes and the layout of a sweep's directories. Plain Java and Jackson only, so that resume
 * planning and reporting can be tested without an actor system or a model.
 */
package dev.hpsweep.journal;
