//! The cogs button: shows or hides the advanced details. The form posts the choice and the
//! page comes back with them (with JavaScript, patched in place: `live_page`).

use crate::api::advanced_details::ShowAdvancedDetails;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn CogsButton(shown: RwSignal<bool>) -> impl IntoView {
    let choose = ServerAction::<ShowAdvancedDetails>::new();
    let label = td_string!(use_i18n().get_locale_untracked(), page.advanced_details);
    view! {
        <ActionForm action=choose attr:class="cogs-form">
            <input type="hidden" name="show" value=move || (!shown.get()).to_string() />
            <button
                type="submit"
                class="cogs"
                aria-expanded=move || shown.get().to_string()
                aria-controls="advanced-details"
                title=label
            >
                <span aria-hidden="true">"⚙"</span>
                <span class="visually-hidden">{label}</span>
            </button>
        </ActionForm>
    }
}
