/**
 * The wallet's "Pay this invoice?" dialog: a modal <dialog> with the amount
 * and the invoice's description, Approve and Decline. One question at a
 * time; unanswered, it declines by itself before the app's own wait for the
 * payment (60 s by default) runs out, so the app hears "refused" rather than
 * "outcome unknown".
 */
export interface Question {
  amount: string;
  description: string;
}

export class ApprovalDialog {
  readonly #dialog: HTMLDialogElement;
  readonly #timeoutMs: number;
  #answer: ((approved: boolean) => void) | undefined;

  constructor(dialog: HTMLDialogElement, timeoutMs = 45_000) {
    this.#dialog = dialog;
    this.#timeoutMs = timeoutMs;
    // Approve and Decline submit the dialog's form (method="dialog"), which then closes it. The answer is read
    // at the submit, not at "close": Chromium held that one back while the tab was hidden (seen in the demo test).
    dialog.querySelector('form')!.addEventListener('submit', (event) => this.#settle(event.submitter?.getAttribute('value') === 'approve'));
    // Escape (or anything else that closes it) is a no.
    dialog.addEventListener('close', () => this.#settle(false));
  }

  /** Whether a question is waiting for the person. */
  get busy(): boolean {
    return this.#answer !== undefined;
  }

  /** Shows the question; resolves with the person's answer (false after the timeout). */
  ask(question: Question): Promise<boolean> {
    if (this.busy) return Promise.resolve(false);
    this.#dialog.querySelector('[data-field="amount"]')!.textContent = question.amount;
    this.#dialog.querySelector('[data-field="description"]')!.textContent = question.description;
    this.#dialog.querySelector('[data-field="timeout"]')!.textContent = `${Math.round(this.#timeoutMs / 1000)} s`;
    const answered = new Promise<boolean>((resolve) => (this.#answer = resolve));
    const timer = setTimeout(() => {
      this.#settle(false);
      this.#dialog.close();
    }, this.#timeoutMs);
    this.#dialog.returnValue = '';
    this.#dialog.showModal();
    // In the landing page's tall iframe, the centred dialog may be out of the parent's view: bring it in.
    if (window.parent !== window) this.#dialog.scrollIntoView({block: 'center'});
    return answered.finally(() => clearTimeout(timer));
  }

  #settle(approved: boolean): void {
    const answer = this.#answer;
    this.#answer = undefined;
    answer?.(approved);
  }
}
