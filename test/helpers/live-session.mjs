// What the timeline feed (src/extension/viewer/timeline-feed.ts) reads of a HostSession, made of
// a real Recorder and ScenePipeline: a live run with no task model of its own.

export function liveSession({ label, recorder, pipeline }) {
  return {
    label,
    isLive: true,
    recorder,
    pipeline,
    tasks: { all: () => [][Symbol.iterator]() },
    sceneAt(at) {
      const { store, t } = recorder.reader().sceneAt(at);
      return { scene: store.snapshot(), at: t };
    },
  };
}
