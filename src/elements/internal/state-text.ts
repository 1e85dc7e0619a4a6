/**
 * The connection state as text a page can replace: one named slot per state
 * (`state-connected`, …), of which only the current one is rendered, so a
 * page can supply all six translations up front.
 */
import {html, type TemplateResult} from 'lit';
import type {StackState} from '../../core/stack/stack.js';

export type StateTexts = Readonly<Record<StackState, string>>;

/**
 * The live region announcing state changes. It exists from the first render
 * so that assistive technology is already watching it when the text changes.
 */
export function stateRegion(state: StackState, texts: StateTexts): TemplateResult {
  return html`<div part="state" class="state" role="status" aria-live="polite" aria-atomic="true">
    <span class="indicator" aria-hidden="true"></span>
    <span class="state-text"><slot name="state-${state}">${texts[state]}</slot></span>
  </div>`;
}
