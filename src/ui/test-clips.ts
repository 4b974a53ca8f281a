// The bundled held-out test clips (public/test-clips/): the list, and the WAVs decoded to 16 kHz
// mono the way an uploaded file is (samples, the benchmark and the Compare view all use them).
import { decodeAudioFile } from "../audio/mic";
import { parseTestClips, TEST_CLIPS_PATH, type TestClip } from "../core/test-clips";

export interface ClipAudio {
  clip: TestClip;
  samples: Float32Array;
}

export async function fetchTestClipList(): Promise<TestClip[]> {
  const url = new URL(TEST_CLIPS_PATH, document.baseURI).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not read the test clips (${url}): HTTP ${response.status}`);
  return parseTestClips(await response.json().catch(() => Promise.reject(new Error(`Could not read the test clips: ${url} is not JSON`))));
}

export async function loadClipAudio(clips: readonly TestClip[]): Promise<ClipAudio[]> {
  return Promise.all(
    clips.map(async (clip) => {
      const url = new URL(`test-clips/${clip.file}`, document.baseURI).href;
      const response = await fetch(url);
      if (!response.ok) throw new Error(`Could not read the test clip ${url}: HTTP ${response.status}`);
      return { clip, samples: await decodeAudioFile(new File([await response.blob()], clip.file)) };
    }),
  );
}
