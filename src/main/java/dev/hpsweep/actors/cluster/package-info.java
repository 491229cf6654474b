/**
 * Several machines: the coordinator/worker protocol over Akka Cluster. Imports Akka and the plain
 * packages; the cli gives it what needs files and models ({@link dev.hpsweep.actors.cluster.WorkerSetup}).
 *
 * <h2>Who owns which state</h2>
 * <ul>
 *   <li><b>The coordinator</b> (the {@code run}/{@code resume --cluster} process) owns everything
 *   durable, exactly as a one-machine sweep: the journal, leaderboard and metrics files (the
 *   MetricsAggregator), the checkpoints and models (written by {@link dev.hpsweep.actors.cluster.RemoteTrial}
 *   with the same atomic temp-fsync-rename as local ones), the stopping rules, the trial source
 *   and the slots (SweepSupervisor). Its {@link dev.hpsweep.actors.cluster.ClusterCoordinator}
 *   finds workers through the Receptionist, checks them by a {@link dev.hpsweep.actors.cluster.ClusterProtocol.Hello},
 *   and tells the supervisor of workers that join, leave or are gone.</li>
 *   <li><b>A worker</b> ({@link dev.hpsweep.actors.cluster.WorkerNode}) owns a scratch directory and
 *   the trainers of the trials it runs, nothing else. Each attempt runs the ordinary TrialActor
 *   inside a {@link dev.hpsweep.actors.cluster.WorkerTrial}, which stands in for its aggregator and
 *   supervisor and ships what they would have received.</li>
 *   <li><b>A trial attempt</b> is one channel ({@code trial-0003#2}): an ordered, acknowledged
 *   stream of chunked messages ({@link dev.hpsweep.actors.cluster.Outbox}, {@link dev.hpsweep.actors.cluster.Inbox};
 *   Artery drops messages over 256 KiB). A lost attempt's messages go to an actor that no longer
 *   exists, and a new attempt has a new channel, so nothing stale is taken for current.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * A worker that dies is downed by the Split Brain Resolver (keep-oldest on the coordinator role,
 * so the coordinator's side always survives); DeathWatch then ends its attempts as lost, and the
 * aggregator rewinds each trial to its newest checkpoint, as resume would. A worker that is asked
 * to stop hands its trials back with fresh checkpoints. No cluster singleton (it could move the
 * coordinator away from its journal) and no Akka Persistence: the journal is the persistence.
 */
package dev.hpsweep.actors.cluster;
