/**
 * Button, Slider and Input nodes as a small themed HTML panel over the scene.
 * Button -> CLICK {key}; Slider -> SLIDER {key, value} (at most 20/s while
 * dragging, and the final value); Input -> INPUT {key, value} on Enter or blur.
 */
import type { Props } from "./props.js";
import { throttle } from "./throttle.js";

export type EmitEvent = (etype: string, key: string, value: unknown) => void;

interface Widget {
  root: HTMLElement;
  update(p: Props): void;
}

export class WidgetPanel {
  private readonly el: HTMLElement;
  private readonly widgets = new Map<string, Widget>();

  constructor(parent: HTMLElement, private readonly emit: EmitEvent) {
    this.el = document.createElement("div");
    this.el.className = "sr-panel";
    this.el.hidden = true;
    parent.appendChild(this.el);
  }

  add(key: string, tag: string, p: Props): void {
    this.remove(key);
    const w = tag === "Button" ? this.button(key) : tag === "Slider" ? this.slider(key) : this.input(key);
    w.update(p);
    this.widgets.set(key, w);
    this.el.appendChild(w.root);
    this.el.hidden = false;
  }

  update(key: string, p: Props): void {
    this.widgets.get(key)?.update(p);
  }

  remove(key: string): void {
    const w = this.widgets.get(key);
    if (!w) return;
    w.root.remove();
    this.widgets.delete(key);
    this.el.hidden = this.widgets.size === 0;
  }

  private row(label?: string): { root: HTMLElement; label: HTMLElement } {
    const root = document.createElement("label");
    root.className = "sr-row";
    const l = document.createElement("span");
    l.className = "sr-label";
    if (label) l.textContent = label;
    root.appendChild(l);
    return { root, label: l };
  }

  private button(key: string): Widget {
    const b = document.createElement("button");
    b.className = "sr-button";
    b.addEventListener("click", () => this.emit("CLICK", key, { button: 0 }));
    return {
      root: b,
      update: (p) => {
        b.textContent = labelOf(p) ?? key;
        b.disabled = p.bool("disabled", false);
      },
    };
  }

  private slider(key: string): Widget {
    const { root, label } = this.row();
    const input = document.createElement("input");
    input.type = "range";
    const out = document.createElement("output");
    root.append(input, out);
    const send = throttle(() => this.emit("SLIDER", key, Number(input.value)), 50);
    input.addEventListener("input", () => {
      out.textContent = input.value;
      send();
    });
    input.addEventListener("change", () => send.flush());
    return {
      root,
      update: (p) => {
        label.textContent = labelOf(p) ?? key;
        input.min = String(p.num("min", 0));
        input.max = String(p.num("max", 100));
        input.step = String(p.num("step", 1, { min: 0 }));
        if (p.has("value") && document.activeElement !== input) input.value = String(p.num("value", 0));
        out.textContent = input.value;
      },
    };
  }

  private input(key: string): Widget {
    const { root, label } = this.row();
    const input = document.createElement("input");
    input.type = "text";
    input.className = "sr-input";
    root.appendChild(input);
    let last = "";
    const send = () => {
      if (input.value === last) return;
      last = input.value;
      this.emit("INPUT", key, input.value);
    };
    input.addEventListener("keydown", (e) => {
      e.stopPropagation(); // typing is not a scene KEY_DOWN
      if (e.key === "Enter") send();
    });
    input.addEventListener("keyup", (e) => e.stopPropagation());
    input.addEventListener("blur", send);
    return {
      root,
      update: (p) => {
        label.textContent = labelOf(p) ?? "";
        input.placeholder = p.str("placeholder", "") ?? "";
        if (p.has("value") && document.activeElement !== input) input.value = last = p.str("value", "") ?? "";
      },
    };
  }
}

function labelOf(p: Props): string | undefined {
  for (const name of ["label", "text", "children", "value"]) {
    const v = p.raw[name];
    if (typeof v === "string" && !(name === "value" && p.tag !== "Button")) return v;
  }
  return undefined;
}
