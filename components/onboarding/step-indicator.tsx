import { WIZARD_STEPS } from "@/components/onboarding/wizard-steps";

/** Where the admin is in the wizard; steps already seen can be revisited from here. */
export function StepIndicator({ current, reached, onGo }: { current: number; reached: number; onGo: (step: number) => void }) {
  return (
    <nav aria-label="Onboarding steps" className="mb-6">
      <ol className="flex flex-wrap gap-2 text-sm">
        {WIZARD_STEPS.map((step, index) => {
          const state = index === current ? "current" : index < current ? "done" : "todo";
          const colours = {
            current: "border-brand-600 bg-brand-50 text-brand-700",
            done: "border-emerald-300 bg-emerald-50 text-emerald-800",
            todo: "border-slate-200 bg-white text-slate-500",
          }[state];
          const label = (
            <>
              <span className="font-semibold">{index + 1}.</span> {step.title}
            </>
          );
          return (
            <li key={step.id} aria-current={index === current ? "step" : undefined}>
              {index !== current && index <= reached ? (
                <button type="button" onClick={() => onGo(index)} className={`rounded-full border px-3 py-1 hover:underline ${colours}`}>
                  {label}
                </button>
              ) : (
                <span className={`inline-block rounded-full border px-3 py-1 ${colours}`}>{label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
