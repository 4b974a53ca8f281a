import { describe, expect, it } from "vitest";
import { compareTranslation, summarizeTranslations } from "./compare";
import { scoreTranslations } from "./metrics";

const timings = (encoderMs: number, prefillMs: number, decodeTokensPerSecond: number) => ({ encoderMs, prefillMs, decodeTokensPerSecond, totalMs: 999 });

describe("summarizeTranslations", () => {
  const translations = [
    compareTranslation("a.wav", "de", "Wann schließt das Museum?", "  Wann schließt das Museum?\n", timings(10, 20, 100)),
    compareTranslation("b.wav", "de", "Wir brauchen einen Kleiderbügel.", "Wir brauchen Kleiderbügel.", timings(30, 40, 300)),
    compareTranslation("a.wav", "zh", "博物馆几点关门？", "博物馆几点关门", timings(20, 30, 200)),
  ];

  it("strips hypotheses as compress eval does and keeps only the reported timings", () => {
    expect(translations[0]!.hypothesis).toBe("Wann schließt das Museum?");
    expect(translations[0]!.timings).toEqual({ encoderMs: 10, prefillMs: 20, decodeTokensPerSecond: 100 });
  });

  it("medians over every translation, corpus scores per language", () => {
    const summary = summarizeTranslations(translations);
    expect(summary).toMatchObject({ encoderMs: 20, prefillMs: 30, decodeTokensPerSecond: 200 });
    expect(summary.scores.de).toEqual(scoreTranslations(["Wann schließt das Museum?", "Wir brauchen Kleiderbügel."], ["Wann schließt das Museum?", "Wir brauchen einen Kleiderbügel."], "de"));
    expect(summary.scores.zh).toEqual(scoreTranslations(["博物馆几点关门"], ["博物馆几点关门？"], "zh"));
    expect(summary.scores.de!.chrfVariant).toBe("chrF++");
  });

  it("scores only the languages that ran", () => {
    expect(Object.keys(summarizeTranslations(translations.slice(0, 2)).scores)).toEqual(["de"]);
  });
});
