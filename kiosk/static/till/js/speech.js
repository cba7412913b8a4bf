// Speak Dutch (nl-BE) through the browser; silent rather than English when no Dutch voice exists.

let dutchVoice = null;

function findVoice() {
  if (!("speechSynthesis" in window)) return null;
  const voices = window.speechSynthesis.getVoices();
  const dutch = voices.filter((voice) => voice.lang.toLowerCase().startsWith("nl"));
  dutch.sort((a, b) => score(b) - score(a));
  return dutch[0] || null;
}

function score(voice) {
  return (voice.lang.toLowerCase() === "nl-be" ? 2 : 0) + (voice.localService ? 1 : 0);
}

if ("speechSynthesis" in window) {
  dutchVoice = findVoice();
  window.speechSynthesis.addEventListener?.("voiceschanged", () => { dutchVoice = findVoice(); });
}

export function speak(text, enabled) {
  if (!enabled || !dutchVoice || !text) return false;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = dutchVoice.lang || "nl-BE";
  utterance.voice = dutchVoice;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(utterance);
  return true;
}

let audio = null;
export function click(enabled) {
  if (!enabled || !window.AudioContext) return;
  audio = audio || new AudioContext();
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = 660;
  gain.gain.value = 0.05;
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start();
  oscillator.stop(audio.currentTime + 0.05);
}
