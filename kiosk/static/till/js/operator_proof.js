// The proof that the person at the till entered their PIN: the server's `operator_proof`, kept
// with that person (in the tablet's storage, so a reload keeps it) and forgotten at Stop. A PIN
// accepted while the server was away has no proof yet: it is kept in memory only and checked at
// the server once it answers, and the proof then goes to what that person queued meanwhile.

import { Offline } from "./api.js";
import { forget, load, proveQueuedSales, save } from "./store.js";

export class OperatorProof {
  constructor(api, operator) {
    this.api = api;
    this.value = operator ? load("proof") : null;
    this.unprovenPin = null;
    this.proving = null;
    this.proveQueuedChanges = () => {};  // the bistro's tab changes (bistro.js)
  }

  keep(proof, unprovenPin = null) {
    this.value = proof;
    this.unprovenPin = proof ? null : unprovenPin;
    save("proof", proof);
  }

  drop() {
    this.value = null;
    this.unprovenPin = null;
    forget("proof");
  }

  // Called before each send of the queues: one check at a time, only while the person is here.
  proveLate(operator) {
    this.proving ??= this.askServer(operator).finally(() => { this.proving = null; });
    return this.proving;
  }

  async askServer(operator) {
    const pin = this.unprovenPin;
    if (!operator || this.value || !pin) return;
    let answer;
    try {
      answer = await this.api.verifyPin(operator.id, pin);
    } catch (error) {
      if (error instanceof Offline) return;
      throw error;
    }
    if (this.unprovenPin !== pin) return;  // Stop was tapped meanwhile
    this.unprovenPin = null;
    if (answer.status !== 200) return;
    this.keep(answer.data.operator_proof);
    await proveQueuedSales(operator.id, this.value);
    this.proveQueuedChanges(operator.id, this.value);
  }
}
