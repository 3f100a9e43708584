package receipt

// labels are the receipt's fixed texts in one language.
type labels struct {
	Brand, Title, NumberSign                       string
	Details, Number, FiledAt                       string
	Claimant, ClaimantIIN, Respondent, RespBIN     string
	Court, CourtPending, CategoryKind              string
	Documents, NoDocuments, DocName, DocSize, Hash string
	Signature, Algorithm, KeyID, SigValue, Commit  string
	Salt                                           string
	Verify, VerifyHow, VerifyScan, PublicNote      string
	Page                                           string // fmt: the page, then the page count
	Units                                          [4]string
	DecimalSep                                     string
}

var texts = map[string]labels{
	"kk": {
		Brand:        "Talap — әкімшілік талаптарды электрондық беру порталы",
		Title:        "Талап берілгені туралы түбіртек",
		NumberSign:   "№",
		Details:      "Талап туралы мәліметтер",
		Number:       "Талап нөмірі",
		FiledAt:      "Берілген күні мен уақыты",
		Claimant:     "Талапкер",
		ClaimantIIN:  "Талапкердің ЖСН",
		Respondent:   "Жауапкер",
		RespBIN:      "Жауапкердің БСН",
		Court:        "Сот",
		CourtPending: "кейін тағайындалады",
		CategoryKind: "Санаты / түрі",
		Documents:    "Қоса берілген құжаттар",
		NoDocuments:  "Құжаттар қоса берілмеген",
		DocName:      "Атауы",
		DocSize:      "Көлемі",
		Hash:         "SHA-256",
		Signature:    "Электрондық қолтаңба",
		Algorithm:    "Алгоритм",
		KeyID:        "Кілт идентификаторы",
		SigValue:     "Қолтаңба (base64)",
		Commit:       "Талапкер деректерінің хэші",
		Salt:         "Тұз (hex)",
		Verify:       "Түпнұсқалығын тексеру",
		VerifyHow:    "Түпнұсқалығын QR-код арқылы немесе мына мекенжай бойынша тексеріңіз:",
		VerifyScan:   "Тексеру үшін сканерлеңіз",
		PublicNote: "Қолтаңба дербес деректерсіз жария мәліметтерді растайды: талапкердің ЖСН мен аты-жөні " +
			"тұздың (байттары), ЖСН-нің, жол ауыстыру белгісінің және аты-жөнінің SHA-256 хэшімен, құжат " +
			"атаулары хэштерімен ауыстырылған. Тұз тек осы түбіртекте: оны жарияламаңыз.",
		Page:       "Бет %d / %d",
		Units:      [4]string{"Б", "КБ", "МБ", "ГБ"},
		DecimalSep: ",",
	},
	"ru": {
		Brand:        "Talap — портал электронной подачи административных исков",
		Title:        "Квитанция о подаче иска",
		NumberSign:   "№",
		Details:      "Сведения об иске",
		Number:       "Номер иска",
		FiledAt:      "Дата и время подачи",
		Claimant:     "Истец",
		ClaimantIIN:  "ИИН истца",
		Respondent:   "Ответчик",
		RespBIN:      "БИН ответчика",
		Court:        "Суд",
		CourtPending: "будет определён",
		CategoryKind: "Категория / вид",
		Documents:    "Приложенные документы",
		NoDocuments:  "Документы не приложены",
		DocName:      "Наименование",
		DocSize:      "Размер",
		Hash:         "SHA-256",
		Signature:    "Электронная подпись",
		Algorithm:    "Алгоритм",
		KeyID:        "Идентификатор ключа",
		SigValue:     "Подпись (base64)",
		Commit:       "Хеш данных истца",
		Salt:         "Соль (hex)",
		Verify:       "Проверка подлинности",
		VerifyHow:    "Подлинность квитанции можно проверить по QR-коду или по адресу:",
		VerifyScan:   "Сканируйте для проверки",
		PublicNote: "Подпись удостоверяет публичные сведения без персональных данных: ИИН и ФИО истца " +
			"заменены хешем SHA-256 от соли (указана выше, в байтах), ИИН, перевода строки и ФИО, " +
			"наименования документов — их хешами. Соль напечатана только в этой квитанции: не публикуйте её, " +
			"чтобы иск нельзя было связать с вами.",
		Page:       "Страница %d из %d",
		Units:      [4]string{"Б", "КБ", "МБ", "ГБ"},
		DecimalSep: ",",
	},
	"en": {
		Brand:        "Talap — administrative claims e-filing portal",
		Title:        "Filing receipt",
		NumberSign:   "No.",
		Details:      "Claim details",
		Number:       "Claim number",
		FiledAt:      "Filed at",
		Claimant:     "Claimant",
		ClaimantIIN:  "Claimant IIN",
		Respondent:   "Respondent",
		RespBIN:      "Respondent BIN",
		Court:        "Court",
		CourtPending: "to be assigned",
		CategoryKind: "Category / kind",
		Documents:    "Attached documents",
		NoDocuments:  "No documents attached",
		DocName:      "Name",
		DocSize:      "Size",
		Hash:         "SHA-256",
		Signature:    "Electronic signature",
		Algorithm:    "Algorithm",
		KeyID:        "Key ID",
		SigValue:     "Signature (base64)",
		Commit:       "Claimant commitment",
		Salt:         "Salt (hex)",
		Verify:       "Verification",
		VerifyHow:    "Check this receipt by scanning the QR code or at:",
		VerifyScan:   "Scan to verify",
		PublicNote: "The signature covers the public facts without personal data: the claimant's IIN and " +
			"name are replaced by a commitment, the SHA-256 of the salt above (as bytes), the IIN, a line break " +
			"and the name; document names by their hashes. Only this receipt shows the salt: keep it to " +
			"yourself, so that the claim cannot be linked to you.",
		Page:       "Page %d of %d",
		Units:      [4]string{"B", "KB", "MB", "GB"},
		DecimalSep: ".",
	},
}
