//! The language switch: a plain form that posts the choice and gets the page back in that
//! language, with or without JavaScript. Each language is named in itself, so a person who
//! cannot read the current one still finds theirs.

use crate::api::language::ChooseLanguage;
use crate::i18n::*;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_i18n::Locale as _;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let current = use_i18n().get_locale_untracked();
    view! {
        <form class="language-switch" method="post" action=ChooseLanguage::url()>
            <label for="language" class="visually-hidden">{td_string!(current, page.language)}</label>
            <select id="language" name="language">
                {Locale::get_all().iter().map(|&locale| view! {
                    <option value=locale.as_str() lang=locale.as_str() selected=locale == current>
                        {td_string!(locale, page.language_name)}
                    </option>
                }).collect_view()}
            </select>
            <button type="submit" class="button">{td_string!(current, page.change_language)}</button>
        </form>
    }
}
