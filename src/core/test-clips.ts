// The held-out test clips bundled with the app (public/test-clips/clips.json + WAVs, written by
// `python -m compress test-clips`): held-out voices speaking held-out sentences, with references.
import { z } from "zod";
import { AppError } from "./errors";

export const TEST_CLIPS_PATH = "test-clips/clips.json";

/** The languages the clips carry references in: what the compare view can score. */
export type TargetLanguage = "de" | "zh";

const clipSchema = z.object({
  file: z.string().regex(/^[^/\\]+\.wav$/i, "expected a WAV file name in the same folder"),
  voice: z.string(),
  topic: z.string(),
  seconds: z.number().positive(),
  en: z.string(),
  de: z.string(),
  zh: z.string(),
});

export type TestClip = z.infer<typeof clipSchema>;

export function parseTestClips(json: unknown): TestClip[] {
  const result = z.array(clipSchema).min(1, "expected at least one clip").safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new AppError("manifest", `Malformed test clip list (${TEST_CLIPS_PATH}): ${problems.join("; ")}`);
  }
  return result.data;
}

export const referenceOf = (clip: TestClip, lang: TargetLanguage): string => clip[lang];
