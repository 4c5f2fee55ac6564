"""The interface's own words in French (the default) and English.

Questions, choices and validation messages come from the questionnaire; the diagnostic's texts
from `barometre.diagnostic`. This catalogue holds only the words of the pages around them.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("fr", "en")

MESSAGES: Mapping[str, tuple[str, str]] = {
    "site_title": ("Baromètre PME-ETI et réseaux sociaux", "SME social network barometer"),
    "skip_to_content": ("Aller au contenu", "Skip to content"),
    "switch_language": ("English", "Français"),
    "switch_language_label": ("Read this page in English", "Lire cette page en français"),
    "home_intro": (
        "Vous avez reçu une lettre ou un e-mail vous invitant à répondre au baromètre : "
        "saisissez le code personnel qui y figure.",
        "You received a letter or an e-mail inviting you to answer the barometer: type the "
        "personal code it gives.",
    ),
    "code_label": ("Votre code personnel", "Your personal code"),
    "code_hint": (
        "9 caractères, par exemple K7QF-3MZP-X ; les tirets et les espaces sont facultatifs.",
        "9 characters, for example K7QF-3MZP-X; dashes and spaces are optional.",
    ),
    "code_submit": ("Commencer", "Start"),
    "code_typo": (
        "Ce code contient une faute de frappe : vérifiez chaque caractère sur votre lettre.",
        "This code contains a typing error: check each character against your letter.",
    ),
    "code_malformed": (
        "Un code compte 9 caractères (lettres et chiffres) : vérifiez votre saisie.",
        "A code has 9 characters (letters and digits): check what you typed.",
    ),
    "code_unknown": (
        "Ce code ne correspond à aucune invitation en cours. Vérifiez votre lettre ou "
        "contactez l'équipe de l'étude.",
        "This code matches no current invitation. Check your letter or contact the study team.",
    ),
    "code_used": (
        "Les réponses associées à ce code ont déjà été envoyées. Merci de votre participation !",
        "The answers for this code have already been sent. Thank you for taking part!",
    ),
    "too_many_attempts": (
        "Trop de tentatives. Patientez quelques minutes avant de réessayer.",
        "Too many attempts. Wait a few minutes before trying again.",
    ),
    "link_unknown": (
        "Ce lien personnel n'est pas valide ou a expiré.",
        "This personal link is not valid or has expired.",
    ),
    "selfdiag_title": ("Autodiagnostic", "Self-diagnostic"),
    "selfdiag_intro": (
        "Une douzaine de questions, anonymes, pour savoir où en est votre entreprise sur les "
        "réseaux sociaux, vous comparer aux entreprises qui vous ressemblent et recevoir un "
        "plan d'action. Rien n'est enregistré.",
        "About twelve anonymous questions to see where your company stands on social "
        "networks, compare it with similar firms and get an action plan. Nothing is stored.",
    ),
    "selfdiag_link": ("Faire l'autodiagnostic anonyme", "Take the anonymous self-diagnostic"),
    "selfdiag_submit": ("Voir mon diagnostic", "See my diagnostic"),
    "error_summary": (
        "Votre saisie contient {n} erreur(s) :",
        "Your answers contain {n} error(s):",
    ),
    "progress": ("Page {page} sur {pages}", "Page {page} of {pages}"),
    "next": ("Enregistrer et continuer", "Save and continue"),
    "back": ("Page précédente", "Previous page"),
    "finish": ("Envoyer mes réponses", "Send my answers"),
    "saved_note": (
        "Vos réponses sont enregistrées à chaque page : vous pouvez fermer et reprendre plus "
        "tard avec le même lien ou le même code.",
        "Your answers are saved at each page: you can close and come back later with the same "
        "link or code.",
    ),
    "new_questions": (
        "Vos réponses appellent des questions complémentaires sur cette page.",
        "Your answers lead to further questions on this page.",
    ),
    "optional": ("facultatif", "optional"),
    "thanks_title": ("Merci !", "Thank you!"),
    "thanks_text": (
        "Vos réponses sont enregistrées. Voici votre diagnostic personnel.",
        "Your answers are recorded. Here is your personal diagnostic.",
    ),
    "diag_title": ("Votre diagnostic", "Your diagnostic"),
    "diag_segment": ("Votre profil", "Your profile"),
    "diag_segment_share": (
        "Parmi les {group}, {share} ont ce profil (IC à 95 % : {low} – {high}).",
        "Among {group}, {share} have this profile (95 % CI: {low} – {high}).",
    ),
    "diag_score": ("Score de maturité", "Maturity score"),
    "diag_score_how": ("Comment ce score est calculé", "How this score is computed"),
    "diag_score_formula": (
        "Chaque réponse rapporte des points ; le score d'une dimension est la part des points "
        "possibles obtenus (0 à 100), et le score global la moyenne des dimensions.",
        "Each answer earns points; a dimension's score is the share of available points earned "
        "(0 to 100), and the overall score is the mean of the dimensions.",
    ),
    "diag_points": ("points", "points"),
    "diag_peers": ("Vous et vos pairs", "You and your peers"),
    "diag_peers_none": (
        "Aucune vague publiée ne permet encore de vous comparer à vos pairs.",
        "No published wave yet allows a comparison with your peers.",
    ),
    "diag_indicator": ("Indicateur", "Indicator"),
    "diag_you": ("Vous", "You"),
    "diag_peers_share": ("Vos pairs (IC à 95 %)", "Your peers (95 % CI)"),
    "diag_peer_score": ("Score moyen de vos pairs", "Your peers' mean score"),
    "diag_ci_note": (
        "Parts pondérées estimées sur la vague « {wave} » ; l'intervalle de confiance à 95 % "
        "indique la précision de l'estimation.",
        "Weighted shares estimated from the wave '{wave}'; the 95 % confidence interval shows "
        "how precise each estimate is.",
    ),
    "diag_plan": ("Votre plan d'action", "Your action plan"),
    "diag_time": ("Temps", "Time"),
    "diag_budget": ("Budget", "Budget"),
    "diag_pdf": ("Télécharger en PDF", "Download as PDF"),
    "diag_no_segment": (
        "Répondez aux questions sur l'activité et le tempo pour connaître votre profil.",
        "Answer the questions on activity and tempo to see your profile.",
    ),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    "unknown": ("non renseigné", "not answered"),
    "team_area": ("Espace équipe", "Team area"),
    "login_title": ("Connexion de l'équipe d'étude", "Study team sign-in"),
    "username": ("Identifiant", "Username"),
    "password": ("Mot de passe", "Password"),
    "login_submit": ("Se connecter", "Sign in"),
    "login_failed": ("Identifiant ou mot de passe incorrect.", "Wrong username or password."),
    "logout": ("Se déconnecter", "Sign out"),
    "slow_down": (
        "Trop de tentatives depuis cette adresse ou pour ce compte. Réessayez dans {n}\u00a0s.",
        "Too many attempts from this address or for this account. Try again in {n} s.",
    ),
    "role_refused": (
        "Votre rôle ne permet pas cette action. Demandez-la à un membre de l'équipe ou à un "
        "administrateur.",
        "Your role does not allow this. Ask a team member or an administrator.",
    ),
    "users_title": ("Comptes de l'équipe", "Team accounts"),
    "role": ("Rôle", "Role"),
    "role_admin": ("Administrateur", "Administrator"),
    "role_team": ("Équipe d'étude", "Study team"),
    "role_viewer": ("Lecture seule", "Read only"),
    "account_state": ("État", "State"),
    "account_disabled": ("Désactivé", "Disabled"),
    "disable_account": ("Désactiver", "Disable"),
    "text_too_long": (
        "Texte trop long\u00a0: {n}\u00a0caractères au plus.",
        "Text too long: at most {n} characters.",
    ),
    "csrf_failed": (
        "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.",
        "The form has expired or does not come from this site. Reload the page and try again.",
    ),
    "not_found": ("Page introuvable.", "Page not found."),
    "wave_closed": (
        "Cette enquête n'accepte plus de réponses en ligne. Merci de votre intérêt.",
        "This survey no longer accepts answers online. Thank you for your interest.",
    ),
    "opt_out_title": ("Ne plus être sollicité", "Stop receiving invitations"),
    "opt_out_text": (
        "Confirmez-vous que votre entreprise ne souhaite plus recevoir d'invitation ni de "
        "relance pour cette enquête ?",
        "Do you confirm that your company no longer wishes to receive invitations or "
        "reminders for this survey?",
    ),
    "opt_out_submit": ("Confirmer", "Confirm"),
    "opt_out_done": (
        "C'est noté : vous ne recevrez plus de message pour cette enquête.",
        "Done: you will receive no further messages about this survey.",
    ),
    "paper_title": ("Saisie d'un questionnaire papier", "Paper questionnaire entry"),
    "paper_case": ("Numéro de cas ou code de la lettre", "Case number or letter code"),
    "paper_submit": ("Enregistrer le questionnaire", "Save the questionnaire"),
    "paper_unknown_case": (
        "Aucun cas de cette vague ne porte ce numéro ou ce code.",
        "No case of this wave has this number or code.",
    ),
    "paper_locked": (
        "Ce cas a déjà une réponse complète, qui ne peut plus être modifiée.",
        "This case already has a complete response, which can no longer change.",
    ),
    "paper_saved": (
        "Questionnaire du cas {case} enregistré.",
        "Questionnaire of case {case} saved.",
    ),
    "dashboard_title": ("Suivi de la collecte", "Fieldwork dashboard"),
    "wave_life": ("État de la vague", "State of the wave"),
    "wave_status_is": (
        "La vague «\u00a0{wave}\u00a0» est {status}.",
        "Wave “{wave}” is {status}.",
    ),
    "wave_open_button": ("Ouvrir la collecte", "Open the fieldwork"),
    "wave_reopen_button": ("Rouvrir la collecte", "Reopen the fieldwork"),
    "wave_close_button": ("Clore la collecte", "Close the fieldwork"),
    "wave_results_file": (
        "Résultats (results.json de «\u00a0barometre wave report\u00a0»)",
        "Results (results.json of “barometre wave report”)",
    ),
    "wave_publish_button": ("Publier la vague", "Publish the wave"),
    "wave_archive_button": ("Archiver la vague", "Archive the wave"),
    "wave_step_opened": (
        "La collecte de la vague «\u00a0{wave}\u00a0» est ouverte.",
        "The fieldwork of wave “{wave}” is open.",
    ),
    "wave_step_closed": (
        "La collecte de la vague «\u00a0{wave}\u00a0» est close.",
        "The fieldwork of wave “{wave}” is closed.",
    ),
    "wave_step_published": (
        "La vague «\u00a0{wave}\u00a0» est publiée\u00a0: "
        "l\u2019autodiagnostic la prend pour référence.",
        "Wave “{wave}” is published: the self-diagnostic now compares with it.",
    ),
    "wave_step_archived": (
        "La vague «\u00a0{wave}\u00a0» est archivée.",
        "Wave “{wave}” is archived.",
    ),
    "wave": ("Vague", "Wave"),
    "show": ("Afficher", "Show"),
    "cases": ("Cas échantillonnés", "Sampled cases"),
    "completes": ("Réponses complètes", "Complete responses"),
    "partials": ("Réponses partielles", "Partial responses"),
    "opt_outs": ("Désinscriptions", "Opt-outs"),
    "returns_per_day": ("Retours par jour", "Returns per day"),
    "day": ("Jour", "Day"),
    "started": ("Commencés", "Started"),
    "completed": ("Terminés", "Completed"),
    "dispositions": ("Dispositions finales (AAPOR)", "Final dispositions (AAPOR)"),
    "code": ("Code", "Code"),
    "label": ("Libellé", "Label"),
    "count": ("Nombre", "Count"),
    "rates": ("Taux de réponse AAPOR", "AAPOR response rates"),
    "stratum": ("Strate", "Stratum"),
    "overall": ("Ensemble", "Overall"),
    "e_note": (
        "e (part d'éligibles parmi les cas d'éligibilité inconnue) = {e} ({method}).",
        "e (eligible share among cases of unknown eligibility) = {e} ({method}).",
    ),
    "downloads": ("Téléchargements", "Downloads"),
    "export_csv": (
        "Données de la vague (CSV pseudonymisé, sans coordonnées)",
        "Wave data (pseudonymised CSV, no contact data)",
    ),
    "paper_link": ("Saisir un questionnaire papier", "Key in a paper questionnaire"),
    "no_wave": ("Aucune vague dans la base.", "No wave in the store."),
    "locked": (
        "Vos réponses ont été envoyées et ne peuvent plus être modifiées.",
        "Your answers have been sent and can no longer be changed.",
    ),
}


def translate(key: str, language: str, **values: object) -> str:
    """The interface text `key` in `language` (French unless English), with `values` filled in."""
    fr, en = MESSAGES[key]
    text = en if language == "en" else fr
    return text.format(**values) if values else text


def pick_language(requested: str | None, default: str = "fr") -> str:
    """`requested` when it is a supported language, else `default`."""
    return requested if requested in LANGUAGES else default
