-- Each worker process's heartbeat, by the ids that lock graphile-worker jobs (each worker's, and each pool's for
-- its local queue). Jobs locked by an id with no recent heartbeat belong to a process that died: the
-- workers__release_dead_locks task unlocks them (graphile-worker itself waits 4 hours).
CREATE TABLE "worker_heartbeats" (
  "worker_id" TEXT NOT NULL,
  "beat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);
