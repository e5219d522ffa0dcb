"""The lookalike screening's test set: a warning list, names and domains that imitate its entries,
and ordinary names that must not be flagged.

Cyrillic letters in the lookalikes are written as escapes so a reader sees which ones they are.
"""

from datetime import date

# (name, domains) of the warning list the cases are screened against.
WARNING_LIST = [
    ("Steppe Crypto Exchange", ["steppe-crypto.io"]),
    ("Tengri Profit", ["tengri-profit.com"]),
    ("Golden Horde Invest", ["golden-horde.com"]),
    ("Baiterek Coin", ["baiterek-coin.net"]),
    ("Kazakh Moon Trade", ["kazakhmoon.fr"]),
    ("Altair Capital Markets", ["altair-markets.com"]),
    ("Bitkassa", ["bitkassa.io"]),
    ("Sarykol Finance", ["sarykol.finance"]),
    ("Zhetisu Global Exchange", ["zhetisu-exchange.com"]),
    ("Orda Wallet", ["ordawallet.app"]),
]
LISTED_ON = date(2025, 6, 1)

# (names, domains, the entry they imitate)
LOOKALIKES = [
    # one-letter typos
    (["Steppe Crypto Exchnge LLP"], [], "Steppe Crypto Exchange"),
    (["Stepe Crypto Exchange"], [], "Steppe Crypto Exchange"),
    (["Tengri Profits"], [], "Tengri Profit"),
    (["Golden Hord Invest"], [], "Golden Horde Invest"),
    (["Bajterek Coin"], [], "Baiterek Coin"),
    (["Altiar Capital"], [], "Altair Capital Markets"),
    (["Bitkasa"], [], "Bitkassa"),
    (["Zhetysu Global Exchange"], [], "Zhetisu Global Exchange"),
    (["Orda Walet"], [], "Orda Wallet"),
    # words added, dropped or run together
    (["Steppe Crypto Global Exchange JSC"], [], "Steppe Crypto Exchange"),
    (["Steppe Exchange"], [], "Steppe Crypto Exchange"),
    (["SteppeCrypto Exchange"], [], "Steppe Crypto Exchange"),
    (["Tengri Profit Exchange"], [], "Tengri Profit"),
    (["Golden Horde Investment"], [], "Golden Horde Invest"),
    (["Baiterek Global"], [], "Baiterek Coin"),
    (["Kazakh Moon Trading"], [], "Kazakh Moon Trade"),
    (["Altair Markets"], [], "Altair Capital Markets"),
    (["Bitkassa Exchange"], [], "Bitkassa"),
    (["Sarykol Finance Group"], [], "Sarykol Finance"),
    (["Zhetisu Exchange"], [], "Zhetisu Global Exchange"),
    (["Orda Wallet Pro"], [], "Orda Wallet"),
    # Cyrillic letters that look like Latin ones
    (["St\u0435\u0440\u0440\u0435 Crypto Exchange"], [], "Steppe Crypto Exchange"),
    (["\u0422\u0435ngri Pr\u043efit"], [], "Tengri Profit"),
    (["Gold\u0435n H\u043erd\u0435 Invest"], [], "Golden Horde Invest"),
    (["Kazakh M\u043e\u043en Trade"], [], "Kazakh Moon Trade"),
    (["\u0412itkassa"], [], "Bitkassa"),
    (["Ord\u0430 W\u0430llet"], [], "Orda Wallet"),
    # a trading name imitates while the legal name does not
    (["Tamyr Technologies LLP", "Sarykol Financial"], [], "Sarykol Finance"),
    # domains: another top-level domain, one character apart, a subdomain, look-alike letters, hyphens
    (["Aksu Digital LLP"], ["steppe-crypto.com"], "Steppe Crypto Exchange"),
    (["Aksu Digital LLP"], ["stepe-crypto.io"], "Steppe Crypto Exchange"),
    (["Aksu Digital LLP"], ["app.tengri-profit.com"], "Tengri Profit"),
    (["Aksu Digital LLP"], ["golden-horde.kz"], "Golden Horde Invest"),
    (["Aksu Digital LLP"], ["golden-hord.com"], "Golden Horde Invest"),
    (["Aksu Digital LLP"], ["https://www.baiterek-coin.net/login"], "Baiterek Coin"),
    (["Aksu Digital LLP"], ["baiterekcoin.net"], "Baiterek Coin"),
    (["Aksu Digital LLP"], ["bitk\u0430ssa.io"], "Bitkassa"),
    (["Aksu Digital LLP"], ["ordawallet.com"], "Orda Wallet"),
    (["Aksu Digital LLP"], ["zhetisu-exchange.co.uk"], "Zhetisu Global Exchange"),
]

# (names, domains) of ordinary firms: some share a word or letters with a listed name, none imitates one.
INNOCENTS = [
    (["Nomad Crypto Broker LLP"], ["nomad-broker.kz"]),
    (["Baikonur Digital Custody JSC"], ["baikonur-custody.kz"]),
    (["Irbis Digital Assets LLP"], ["irbis-assets.kz"]),
    (["Qazaq Crypto Hub JSC"], ["qazaqhub.kz"]),
    (["Altyn Custody LLP"], ["altyn-custody.kz"]),
    (["Astana Fintech Partners"], ["astana-fintech.kz"]),
    (["Almaty Payments LLP"], ["almaty-payments.kz"]),
    (["Kaspian Trade House"], ["kaspian.kz"]),
    (["Aksai Securities JSC"], ["aksai.kz"]),
    (["Turan Exchange LLP"], ["turan-exchange.kz"]),
    (["Tenge Pay LLP"], ["tengepay.kz"]),
    (["Golden Eagle Partners"], ["golden-eagle.kz"]),
    (["Horde Logistics LLP"], ["horde-logistics.kz"]),
    (["Steppe Logistics LLP"], ["steppe-logistics.kz"]),
    (["Bitlink Payments"], ["bitlink.kz"]),
    (["Moonstone Capital"], ["moonstone.kz"]),
    (["Sary-Arka Finance"], ["saryarka-finance.kz"]),
    (["Zhetisu Agro LLP"], ["zhetisu-agro.kz"]),
    (["Orda Logistics"], ["orda-logistics.kz"]),
    (["Kazyna Capital Management JSC"], ["kazyna.kz"]),
    (["Halyk Invest JSC"], ["halykinvest.kz"]),
    (["Freedom Broker JSC"], ["freedombroker.kz"]),
    (["Jusan Invest JSC"], ["jusaninvest.kz"]),
    (["Tengri Partners Investment Banking"], ["tengripartners.kz"]),
    (["Centras Securities JSC"], ["centras.kz"]),
    (["Nomad Finance LLP"], ["nomadfinance.kz"]),
    (["Eurasian Digital Ventures"], ["eurasian-ventures.kz"]),
    (["Silk Road Crypto LLP"], ["silkroad-crypto.kz"]),
    (["Caspian Digital Bank"], ["caspian-bank.kz"]),
    (["Shymkent Trading House"], ["shymkent-trade.kz"]),
    (["Aral Sea Assets"], ["aralsea.kz"]),
    (["Khan Tengri Mining LLP"], ["khantengri.kz"]),
    (["Stellar Crypto Exchange"], ["stellar-exchange.kz"]),
    (["ТОО «Степной ветер»", "Stepnoy Veter LLP"], ["stepnoy-veter.kz"]),
    (["Baiterek National Holding"], ["baiterek.gov.kz"]),
]
