import { sendKeys, sendMouse } from '@web/test-runner-commands';

/** A real pointer click at the element's centre, as a person would. */
export async function click(element: Element): Promise<void> {
  const rect = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)] });
}

/** Clicks into a field and types, key by key. */
export async function typeInto(element: Element, text: string): Promise<void> {
  await click(element);
  await sendKeys({ type: text });
}

export const press = (key: string) => sendKeys({ press: key });

/** Types into whatever has focus. */
export const typeKeys = (text: string) => sendKeys({ type: text });
